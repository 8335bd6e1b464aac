"""The disk cache of built cases: a new interpreter loads the same case without parsing it, and any
change to a case file, a broken case or a damaged entry means the case is built and checked again."""

import dataclasses
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import replace_in
from course_lib import CaseError
from course_lib.case import cache as _casecache
from course_lib.case import records as case_module
from course_lib.case.records import BUNDLED_CASE, load_case

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def cache(tmp_path, monkeypatch):
    """An empty cache folder of this test, and no case kept in this process's memory."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("COURSE_LIB_CACHE_DIR", str(folder))
    monkeypatch.setattr(case_module, "_cache", {})
    return folder


def fresh_load(folder: Path, cache_dir, probe: str = "") -> str:
    """Load a case in a new interpreter (as a new kernel does); print what `probe` evaluates to."""
    env = dict(os.environ, COURSE_LIB_CACHE_DIR=str(cache_dir),
               PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    code = (f"import sys; from course_lib import load_case; c = load_case({str(folder)!r}); "
            f"print({probe or 'repr(c)'})")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    assert out.returncode == 0, out.stderr
    return out.stdout.strip()


def records(case) -> dict:
    """Everything a case holds, as plain comparable values."""
    out = {}
    for f in dataclasses.fields(case):
        value = getattr(case, f.name)
        out[f.name] = tuple(value) if hasattr(value, "ids") else value
    out["article"] = (case.article.title, tuple(case.article.sentences))
    return out


def test_a_cached_case_is_the_case_built_from_its_files(cache, case_copy):
    built = load_case(case_copy)
    assert len(list(cache.iterdir())) == 1
    case_module._cache.clear()
    again = load_case(case_copy)
    assert again is not built          # read from disk, not kept in memory
    assert records(again) == records(built)
    assert type(again.statements[0].codes) is type(built.statements[0].codes)   # still read-only
    with pytest.raises(TypeError):
        again.statements[0].codes["D1"] = "2"


def test_a_new_interpreter_loads_the_cached_case_without_parsing_it(cache, case_copy):
    parsed = "('tomllib' in sys.modules, 'csv' in sys.modules, len(c.exercises))"
    first = fresh_load(case_copy, cache, parsed)
    assert first.startswith("(True, True,")
    assert fresh_load(case_copy, cache, parsed) == first.replace("True, True", "False, False")


def test_an_edit_of_the_same_size_and_time_is_not_missed(cache, case_copy):
    moved = "sum(str(e.date) == '2018-08-25' for e in c.events)"
    before = int(fresh_load(case_copy, cache, moved))
    path = case_copy / "events.csv"
    stat = path.stat()
    replace_in(path, "2018-08-24", "2018-08-25")          # same size
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # and the same modification time
    assert path.stat().st_size == stat.st_size
    assert int(fresh_load(case_copy, cache, moved)) == before + 1


def test_a_broken_case_is_never_cached_and_always_reported(cache, case_copy):
    load_case(case_copy)
    replace_in(case_copy / "events.csv", "2018-08-24", "2018-02-30")
    case_module._cache.clear()
    for _ in range(2):
        with pytest.raises(CaseError, match="events.csv"):
            load_case(case_copy)
    entry, = cache.iterdir()
    assert b"2018-02-30" not in entry.read_bytes()


@pytest.mark.parametrize("damage", [b"", b"not a pickle at all", None])
def test_a_damaged_entry_is_rebuilt(cache, case_copy, damage):
    built = load_case(case_copy)
    entry, = cache.iterdir()
    data = entry.read_bytes()
    # None: the right key followed by a truncated pickle
    entry.write_bytes(damage if damage is not None else data[:len(data) // 2])
    case_module._cache.clear()
    assert records(load_case(case_copy)) == records(built)
    assert entry.read_bytes() == data   # and the entry is whole again


def test_no_cache_when_switched_off_or_unwritable(tmp_path, monkeypatch, case_copy):
    monkeypatch.setattr(case_module, "_cache", {})
    monkeypatch.setenv("COURSE_LIB_CACHE_DIR", "off")
    assert _casecache.cache_dir() is None
    assert len(load_case(case_copy).events) == 51
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("COURSE_LIB_CACHE_DIR", str(blocker / "cache"))   # cannot be created
    case_module._cache.clear()
    assert len(load_case(case_copy).events) == 51
    assert blocker.read_text() == "not a folder"


def test_the_default_folder_is_the_users_cache(monkeypatch, tmp_path):
    monkeypatch.delenv("COURSE_LIB_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert _casecache.cache_dir() == tmp_path / "course-lib"
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert _casecache.cache_dir() == Path.home() / ".cache" / "course-lib"


def test_the_key_changes_with_the_library_code(tmp_path, monkeypatch):
    package = tmp_path / "course_lib"
    package.mkdir()
    (package / "case.py").write_text("x = 1\n")
    monkeypatch.setattr(_casecache, "_PACKAGE", package)
    before = _casecache.fingerprint(BUNDLED_CASE)
    (package / "case.py").write_text("x = 22\n")
    assert _casecache.fingerprint(BUNDLED_CASE) != before
    assert _casecache.fingerprint(tmp_path / "no-such-case") is None


def test_kernels_starting_together_leave_one_whole_entry(cache, case_copy):
    env = dict(os.environ, COURSE_LIB_CACHE_DIR=str(cache),
               PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    code = f"from course_lib import load_case; print(len(load_case({str(case_copy)!r}).events))"
    runs = [subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True, env=env)
            for _ in range(4)]
    assert [p.communicate(timeout=120)[0].strip() for p in runs] == ["51"] * 4
    assert [p.name for p in cache.iterdir()] == [next(cache.iterdir()).name]   # no temporary file left
    assert fresh_load(case_copy, cache, "('tomllib' in sys.modules, len(c.events))") == "(False, 51)"


# ---- issue #15: a cache folder may be shared or planted -------------------------------------------

class Boom:
    """A pickle that runs code when it is loaded: it writes a marker file."""

    def __init__(self, marker):
        self.marker = str(marker)

    def __reduce__(self):
        return (Path.write_text, (Path(self.marker), "code ran"))


def test_a_planted_pickle_never_runs(cache, case_copy, tmp_path):
    import pickle
    marker = tmp_path / "pwned"
    key = _casecache.fingerprint(case_copy)
    entry = _casecache._entry(case_copy)
    entry.parent.mkdir(mode=0o700, parents=True)
    entry.write_bytes(key + b"\0" + pickle.dumps(Boom(marker)))
    case = load_case(case_copy)
    assert not marker.exists()
    assert len(case.events) == 51


def flip_first_key(entry: Path) -> None:
    """Forge an entry as a colleague could: the first classify entry's key becomes another choice."""
    data = entry.read_bytes()
    assert b'"prediction"' in data
    entry.write_bytes(data.replace(b'"prediction"', b'"opinion"', 1))


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
@pytest.mark.parametrize("loosen", ["folder", "entry", "owner"])
def test_an_entry_others_could_write_is_never_trusted(cache, case_copy, monkeypatch, loosen):
    built = load_case(case_copy)
    entry, = cache.iterdir()
    flip_first_key(entry)
    case_module._cache.clear()
    assert records(load_case(case_copy)) != records(built)   # a forged entry in a private folder is read
    flip_first_key(entry)   # forge it afresh (the load above did not rewrite it)
    if loosen == "folder":
        cache.chmod(0o777)
    elif loosen == "entry":
        entry.chmod(0o666)
    else:
        monkeypatch.setattr(os, "getuid", lambda: os.stat(cache).st_uid + 4242)
    case_module._cache.clear()
    assert records(load_case(case_copy)) == records(built)   # refused: the case is built from its files
    case_module._cache.clear()
    if loosen == "owner":                                    # nothing is written into another user's folder
        forged = entry.read_bytes()
        load_case(case_copy)
        assert entry.read_bytes() == forged
    else:                                                    # this user's folder is made private again
        assert records(load_case(case_copy)) == records(built)
        assert cache.stat().st_mode & 0o077 == 0 and entry.stat().st_mode & 0o077 == 0


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_a_new_cache_folder_is_private(cache, case_copy):
    load_case(case_copy)
    entry, = cache.iterdir()
    assert cache.stat().st_mode & 0o077 == 0 and entry.stat().st_mode & 0o077 == 0


def test_a_codebook_in_a_sub_folder_is_part_of_the_key(cache, case_copy):
    (case_copy / "codebooks").mkdir()
    (case_copy / "cameo-goldstein.csv").replace(case_copy / "codebooks" / "cameo.csv")
    replace_in(case_copy / "case.toml", 'events = "cameo-goldstein.csv"', 'events = "codebooks/cameo.csv"')
    assert len(load_case(case_copy).codebook) > 100
    replace_in(case_copy / "codebooks" / "cameo.csv", "STATEMENT,0.0", "STATEMENT,99")   # the codebook breaks
    case_module._cache.clear()
    with pytest.raises(CaseError, match="cameo.csv"):
        load_case(case_copy)


def test_an_unrelated_file_in_the_case_folder_is_never_read(cache, case_copy, monkeypatch):
    with open(case_copy / "lecture-video.bin", "wb") as f:
        f.truncate(300 << 20)   # 300 MB, sparse
    opened = []
    real_open, real_read_bytes = open, Path.read_bytes
    monkeypatch.setattr("builtins.open", lambda file, *a, **k: opened.append(str(file)) or real_open(file, *a, **k))
    monkeypatch.setattr(Path, "read_bytes", lambda self: opened.append(str(self)) or real_read_bytes(self))
    load_case(case_copy)
    case_module._cache.clear()
    load_case(case_copy)
    assert opened and not any("lecture-video" in name for name in opened)


def test_the_entry_is_plain_data_that_rebuilds_only_case_records():
    classes = _casecache._classes()
    with pytest.raises(ValueError):
        _casecache.decode('{"C": "Popen", "f": [["sh"]]}', classes)
    with pytest.raises(ValueError):
        _casecache.decode('{"__reduce__": 1}', classes)
    built = load_case()
    again = _casecache.decode(json_dumps(_casecache.encode(built, classes)), classes)
    assert records(again) == records(built)


def json_dumps(value) -> str:
    import json
    return json.dumps(value)
