"""Curly quotes from a phone keyboard: answer(“l1-x”, “a”) is taken, a cell that compiles is never changed."""

import os
from pathlib import Path

import pytest
from IPython.core.inputtransformer2 import TransformerManager

from course_lib.frontend import quotes as _quotes
from course_lib.frontend.quotes import NOTE, fix_curly_quotes, straighten

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("typed, read", [
    ("answer(“l1-x”, “a”)", 'answer("l1-x", "a")'),
    ("answer(‘l1-x’, [‘a’, ‘b’])", "answer('l1-x', ['a', 'b'])"),
    ("answer(“l1-x”, “it’s a guess”)", 'answer("l1-x", "it’s a guess")'),   # an apostrophe in the text stays
    ("answer(\"l1-x\", “a”, confidence=80)", 'answer("l1-x", "a", confidence=80)'),
    ("x = „a“\nprint(x)", 'x = "a"\nprint(x)'),
])
def test_a_cell_that_runs_only_with_straight_quotes_gets_them(typed, read):
    assert straighten(typed) == read


@pytest.mark.parametrize("cell", [
    'answer("l1-x", "He said “no”")',          # curly quotes inside a string: the cell compiles
    "print('‘quoted’')",
    'answer("l1-x", "a")',                      # nothing curly
    "answer(“l1-x”, “a”",                      # still broken once straightened: Python's own message
    "answer(“l1-x”, “a”) +",
])
def test_a_cell_that_compiles_or_stays_broken_is_left_alone(cell):
    assert straighten(cell) is None
    assert fix_curly_quotes(cell.splitlines(keepends=True)) == cell.splitlines(keepends=True)


def test_the_transformer_works_after_ipythons_own_transforms(capsys):
    manager = TransformerManager()
    cell = "%time x = 1\nanswer(“l1-x”, “a”)\n"
    lines = manager.transform_cell(cell).splitlines(keepends=True)
    fixed = "".join(fix_curly_quotes(lines))
    assert "run_line_magic" in fixed and 'answer("l1-x", "a")' in fixed
    compile(fixed, "<cell>", "exec")
    assert capsys.readouterr().out.strip() == NOTE


def test_register_adds_the_transformer_once():
    class Shell:
        input_transformers_post = []
    shell = Shell()
    _quotes.register(shell)
    _quotes.register(shell)
    assert shell.input_transformers_post == [fix_curly_quotes]


def test_importing_course_lib_in_a_kernel_takes_a_curly_quoted_answer(tmp_path, monkeypatch):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(source) for source in (
        "import course_lib\nfrom course_lib import answer",
        "answer(“l0-single”, “b”)",
        "answer(‘l0-single’, ‘a’)",
        'print("“kept” as typed")',
    )]
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    monkeypatch.setenv("COURSE_LIB_WORK_DIR", str(tmp_path / "my-work"))
    nbclient.NotebookClient(nb, timeout=120, kernel_name="python3", allow_errors=True,
                            resources={"metadata": {"path": str(tmp_path)}}).execute()

    def text(cell):
        assert not [o for o in cell.outputs if o.output_type == "error"], cell.outputs
        return "".join(o.get("text", "") + o.get("data", {}).get("text/plain", "") for o in cell.outputs)
    right, wrong = text(nb.cells[1]), text(nb.cells[2])
    assert right.startswith(NOTE + "\n") and "✔ Correct." in right, right
    assert wrong.startswith(NOTE + "\n") and "✘ Not yet." in wrong and "Friday 24 August" in wrong, wrong
    assert text(nb.cells[3]) == "“kept” as typed\n"
