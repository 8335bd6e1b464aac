"""A disk cache of built cases, so a fresh interpreter or kernel does not parse and check them again.

Reading and checking the bundled case takes ~30 ms, more than the interpreter's own start-up; loading
it from here takes 2-5 ms (benchmarks/README.md). An entry is used only while every file of the case
folder has the same bytes (size and CRC-32) and the library's own modules and Python are unchanged;
otherwise the case is built from its files again and the entry replaced. Only cases that passed
every check are stored. A missing, unreadable, corrupt or stale entry is never an error: the case is
simply built. Entries live in $COURSE_LIB_CACHE_DIR, else $XDG_CACHE_HOME/course-lib, else
~/.cache/course-lib; set COURSE_LIB_CACHE_DIR to "off" to use no cache.
"""

from __future__ import annotations

import io
import os
import sys
import zlib
from pathlib import Path

CACHE_DIR_ENV = "COURSE_LIB_CACHE_DIR"
_PACKAGE = Path(__file__).parent


def cache_dir() -> Path | None:
    """The folder that holds cached cases, or None when caching is switched off."""
    named = os.environ.get(CACHE_DIR_ENV)
    if named is not None:
        return None if named.strip().lower() in ("", "off", "0", "no", "false") else Path(named)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "course-lib"


def fingerprint(folder: Path) -> bytes | None:
    """What must be unchanged for a cached case to stand: the folder's files (names, sizes, CRC-32 of
    their bytes), the library's modules (names, sizes, modification times) and the Python version."""
    try:
        data = [f"{sys.version_info[:3]}|{folder}"]
        for entry in sorted(os.scandir(folder), key=lambda e: e.name):
            if entry.is_file():
                content = Path(entry.path).read_bytes()
                data.append(f"{entry.name}|{len(content)}|{zlib.crc32(content)}")
        for entry in sorted(os.scandir(_PACKAGE), key=lambda e: e.name):
            if entry.name.endswith(".py"):
                info = entry.stat()
                data.append(f"{entry.name}|{info.st_size}|{info.st_mtime_ns}")
    except OSError:
        return None
    return "\n".join(data).encode("utf-8", "surrogateescape")


def _entry(folder: Path) -> Path | None:
    where = cache_dir()
    if where is None:
        return None
    return where / f"case-{folder.name[:40]}-{zlib.crc32(str(folder).encode('utf-8', 'surrogateescape')):08x}.pickle"


def read_only(mapping: dict):
    """Rebuild a read-only mapping when an entry is read (pickle cannot name `mappingproxy` itself)."""
    from types import MappingProxyType
    return MappingProxyType(mapping)


def load(folder: Path, key: bytes | None):
    """The case cached for `folder` under `key`, or None (no entry, another key, or unreadable)."""
    path = _entry(folder)
    if path is None or key is None:
        return None
    try:
        with open(path, "rb") as f:
            if f.read(len(key) + 1) != key + b"\0":
                return None
            import pickle
            return pickle.load(f)
    except Exception:  # a cache must never stop a lesson: any failure means "build it again"
        return None


def store(folder: Path, key: bytes | None, case) -> None:
    """Write `case` for `folder` under `key`, atomically; do nothing if that cannot be done."""
    path = _entry(folder)
    if path is None or key is None:
        return
    import pickle
    from types import MappingProxyType

    from course_lib._workfile import atomic_write   # temp file, fsync, rename: readers see old or new
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = {MappingProxyType: lambda m: (read_only, (dict(m),))}
    try:
        pickler.dump(case)
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, key + b"\0" + buffer.getvalue())
    except Exception:  # unwritable home, full disk, an object that cannot be pickled: no cache then
        pass
