"""`course-lib new-case` writes a case folder that loads and validates as it stands."""

import pytest

from course_lib import load_case
from course_lib.instructors.newcase import new_case


def test_the_template_loads_and_validates(tmp_path):
    folder = new_case(tmp_path / "my-case")
    case = load_case(folder)
    assert case.info.id == "my-case"
    assert len(case.sources) == 2 and len(case.claims) == 2 and len(case.events) == 1
    assert len(case.exercises) == 1 and len(case.codebook) == len(load_case().codebook)
    every_text = "".join(p.read_text(encoding="utf-8") for p in folder.iterdir() if p.suffix != ".csv" or p.name != "cameo-goldstein.csv")
    assert "REPLACE" in every_text


def test_new_case_never_overwrites(tmp_path):
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken" / "notes.txt").write_text("mine")
    with pytest.raises(FileExistsError, match="already exists and is not an empty folder"):
        new_case(tmp_path / "taken")
    assert (tmp_path / "taken" / "notes.txt").read_text() == "mine"
    new_case(tmp_path / "empty-is-fine")
