"""A disk cache of built cases, so a fresh interpreter or kernel does not parse and check them again.

Reading and checking the bundled case takes ~30 ms, more than the interpreter's own start-up; loading
it from here takes ~8 ms (JSON; the pickle it replaced took 3-5 ms, benchmarks/README.md). The cache folder may be shared or planted, so an
entry is plain JSON data that can only rebuild the case's own frozen records (never code: no pickle),
and a folder or entry not owned by the user, or writable by group or others, is never read or written.
An entry is used only while every file the case reads (case.toml, the article, the CSV and exercise
files, and the codebook named in case.toml, in a sub-folder or not) has the same BLAKE2b digest, and
the library's own modules and Python are unchanged; otherwise the case is built from its files again
and the entry replaced. Only cases that passed every check are stored. A missing, unreadable, corrupt,
unsafe or stale entry is never an error: the case is simply built. Entries live in
$COURSE_LIB_CACHE_DIR, else $XDG_CACHE_HOME/course-lib, else ~/.cache/course-lib; set
COURSE_LIB_CACHE_DIR to "off" to use no cache.
"""

from __future__ import annotations

import os
import stat
import sys
import zlib
from pathlib import Path

CACHE_DIR_ENV = "COURSE_LIB_CACHE_DIR"
FORMAT = "course-lib-case-cache 3"
MAX_ENTRY = 64 << 20          # no built case comes near this; a bigger entry is not read
_PACKAGE = Path(__file__).parent
_READS = ("case.toml", "article.md", "sources.csv", "claims.toml", "events.csv", "statements.csv")
_OPTIONAL = ("triggers.csv", "lessons.toml")


def _digest(data: bytes) -> str:
    try:
        from _blake2 import blake2b   # what hashlib.blake2b is, without importing OpenSSL (~3 ms)
    except ImportError:  # pragma: no cover - an interpreter without the builtin module
        from hashlib import blake2b
    return blake2b(data, digest_size=20).hexdigest()


def cache_dir() -> Path | None:
    """The folder that holds cached cases, or None when caching is switched off."""
    named = os.environ.get(CACHE_DIR_ENV)
    if named is not None:
        return None if named.strip().lower() in ("", "off", "0", "no", "false") else Path(named)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "course-lib"


def trusted(info: os.stat_result) -> bool:
    """Whether a cache folder or entry may be used: owned by this user (where POSIX ids exist) and not
    writable by group or others, so no one else can plant or change an entry."""
    if hasattr(os, "getuid") and info.st_uid != os.getuid():
        return False
    return os.name != "posix" or not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def _inside(folder: Path, name: str) -> Path | None:
    """`folder/name` if it stays inside the folder once links are followed, else None."""
    try:
        root = folder.resolve()
        path = (root / name).resolve()
    except (OSError, RuntimeError):
        return None
    return path if path != root and root in path.parents else None


def _file_digests(folder: Path, names) -> list[list[str]] | None:
    """[name, digest] of each file, or None when one is missing, not a regular file or outside the folder."""
    out = []
    for name in names:
        path = _inside(folder, name)
        if path is None:
            return None
        try:   # non-blocking, so a FIFO in place of a case file cannot hang a kernel
            fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
            with os.fdopen(fd, "rb") as f:
                info = os.fstat(fd)
                if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_ENTRY:
                    return None
                out.append([name, _digest(f.read(MAX_ENTRY + 1))])
        except OSError:
            return None
    return out


def _case_reads(folder: Path) -> list[str]:
    """The names of the files a case is read from: the fixed ones, the optional ones it has, the exercise files."""
    exercises = sorted(e.name for e in os.scandir(folder) if e.name.endswith(".toml") and
                       (e.name == "exercises.toml" or e.name.startswith("exercises-")))
    optional = [name for name in _OPTIONAL if os.path.exists(folder / name)]
    return [*_READS, *optional, *exercises]


def fingerprint(folder: Path) -> bytes | None:
    """What must be unchanged for a cached case to stand: the digests of the case's fixed and exercise
    files, the library's modules (names, sizes, modification times) and the Python version. (The
    codebook case.toml names is added to the entry when it is stored.) None when it cannot be taken."""
    try:
        data = [f"{sys.version_info[:3]}|{folder}"]
        files = _file_digests(folder, _case_reads(folder))
        if files is None:
            return None
        data += [f"{n}|{d}" for n, d in files]
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
    return where / f"case-{folder.name[:40]}-{zlib.crc32(str(folder).encode('utf-8', 'surrogateescape')):08x}.json"


# ---- the case as plain data ------------------------------------------------------------------------
# Every value is JSON, or a one-key object naming what to rebuild: "T" tuple, "D" dict, "M" read-only
# mapping, "d"/"dt"/"t" date/datetime/time, "P" path, "Tb" table, "C" one of the case's own records.

def _classes() -> dict:
    """The only types an entry can rebuild: the case's frozen records."""
    from course_lib.case import records as case
    from course_lib.case import items
    names = ("Case", "CaseInfo", "Article", "Sentence", "Source", "Claim", "Quote", "Government", "Actor",
             "Dimension", "CodeEntry", "Event", "Statement", "Trigger", "Target")
    return {**{n: getattr(case, n) for n in names},
            **{n: getattr(items, n) for n in ("Exercise", "Option", "Label", "Entry", "Mistake", "HiddenTest",
                                              "Result", "Level")}}


def encode(value, classes: dict):
    """A case (or any part of it) as plain JSON data; raises TypeError on anything else."""
    import dataclasses
    from datetime import date, datetime, time
    from types import MappingProxyType
    if value is None or type(value) in (bool, int, float, str):
        return value
    if type(value) is list:
        return [encode(v, classes) for v in value]
    if type(value) is tuple:
        return {"T": [encode(v, classes) for v in value]}
    if type(value) is dict:
        return {"D": [[encode(k, classes), encode(v, classes)] for k, v in value.items()]}
    if type(value) is MappingProxyType:
        return {"M": [[encode(k, classes), encode(v, classes)] for k, v in value.items()]}
    if type(value) is datetime:
        return {"dt": value.isoformat()}
    if type(value) is date:
        return {"d": value.isoformat()}
    if type(value) is time:
        return {"t": value.isoformat()}
    if isinstance(value, Path):
        return {"P": str(value)}
    name = type(value).__name__
    if classes.get(name) is type(value) and dataclasses.is_dataclass(value):
        return {"C": name, "f": [encode(getattr(value, f.name), classes) for f in dataclasses.fields(value)]}
    if name == "Table" and type(value).__module__ == "course_lib.case.records":
        return {"Tb": [encode(r, classes) for r in value]}
    raise TypeError(f"a case holds no {name}")


def decode(text: str, classes: dict):
    """Rebuild what `encode` wrote; raises ValueError on anything it would not have written."""
    import dataclasses
    import json
    from datetime import date, datetime, time
    from types import MappingProxyType

    from course_lib.case.records import Table
    names = {name: tuple(f.name for f in dataclasses.fields(cls)) for name, cls in classes.items()}
    makers = {"T": tuple, "D": dict, "M": lambda pairs: MappingProxyType(dict(pairs)), "dt": datetime.fromisoformat,
              "d": date.fromisoformat, "t": time.fromisoformat, "P": Path, "Tb": Table}
    new = object.__new__

    def hook(obj: dict):
        values = obj.get("f")
        if values is not None:   # one of the case's records: exactly its fields, set as __init__ would
            name = obj.get("C")
            if name not in names or len(obj) != 2 or type(values) is not list or len(values) != len(names[name]):
                raise ValueError("not an entry of the case cache")
            record = new(classes[name])
            record.__dict__.update(zip(names[name], values))
            return record
        if len(obj) == 1:
            (tag, arg), = obj.items()
            if tag in makers and isinstance(arg, str if tag in ("dt", "d", "t", "P") else list):
                return makers[tag](arg)
        raise ValueError("not an entry of the case cache")
    return json.loads(text, object_hook=hook)


# ---- reading and writing entries ------------------------------------------------------------------

def _open_trusted(path: Path) -> bytes | None:
    """The bytes of a cache entry if it and its folder are safe to trust (see `trusted`), else None."""
    if not trusted(os.stat(path.parent)):
        return None
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
                 | getattr(os, "O_BINARY", 0))
    with os.fdopen(fd, "rb") as f:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or not trusted(info) or info.st_size > MAX_ENTRY:
            return None
        return f.read(MAX_ENTRY + 1)


def load(folder: Path, key: bytes | None):
    """The case cached for `folder` under `key`, or None (no entry, another key, unsafe or unreadable)."""
    path = _entry(folder)
    if path is None or key is None:
        return None
    try:
        data = _open_trusted(path)
        if data is None:
            return None
        head, _, body = data.partition(b"\n")
        import json
        header = json.loads(head)
        if header.get("format") != FORMAT or header.get("key") != _digest(key):
            return None
        extra = header.get("extra")
        if not isinstance(extra, list) or not all(isinstance(e, list) and len(e) == 2 for e in extra) \
                or _file_digests(folder, [n for n, _ in extra]) != extra:
            return None
        case = decode(body.decode("utf-8", "surrogatepass"), _classes())
        return case if type(case).__name__ == "Case" else None
    except Exception:  # a cache must never stop a lesson: any failure means "build it again"
        return None


def _codebook_name(folder: Path) -> str | None:
    """The codebook file case.toml names (it may sit in a sub-folder), or None."""
    import tomllib
    try:
        with open(folder / "case.toml", "rb") as f:
            name = tomllib.load(f).get("codebooks", {}).get("events")
    except (OSError, ValueError, RecursionError, AttributeError):
        return None
    return name if isinstance(name, str) and name.strip() else None


def _safe_folder(where: Path) -> bool:
    """Make the cache folder (private to this user) if it is missing; True if it may be written. A folder
    of this user's that others could write (made under a loose umask) is made private again: entries
    read from it must still be this user's own files, so nothing planted before is trusted."""
    where.mkdir(mode=0o700, parents=True, exist_ok=True)
    info = os.lstat(where)
    if not stat.S_ISDIR(info.st_mode) or (hasattr(os, "getuid") and info.st_uid != os.getuid()):
        return False
    if not trusted(info):
        os.chmod(where, 0o700)
        info = os.lstat(where)
    return trusted(info)


def store(folder: Path, key: bytes | None, case) -> None:
    """Write `case` for `folder` under `key`, atomically; do nothing if that cannot be done safely."""
    path = _entry(folder)
    if path is None or key is None:
        return
    import json

    from course_lib.work.fileformat import atomic_write   # temp file (0600), fsync, rename: readers see old or new
    try:
        if fingerprint(folder) != key:      # a file changed while the case was built: store nothing
            return
        name = _codebook_name(folder)
        extra = _file_digests(folder, [name]) if name and name not in _READS else []
        if extra is None:
            return
        body = json.dumps(encode(case, _classes()), ensure_ascii=False, separators=(",", ":"))
        header = json.dumps({"format": FORMAT, "key": _digest(key), "extra": extra})
        if not _safe_folder(path.parent):
            return
        atomic_write(path, header.encode("utf-8") + b"\n" + body.encode("utf-8", "surrogatepass"))
    except Exception:  # unwritable home, full disk, an unsafe folder: no cache then
        pass
