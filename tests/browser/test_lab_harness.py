"""The browser harness sees what it claims to: an error output, and a widget callback's exception,
which shows nothing in the notebook and lands only in JupyterLab's Log Console. Without these two
checks passing, a lesson test could pass while a button silently does nothing for the student."""

from __future__ import annotations

import nbformat

from .labdriver import button_name, close_lesson, open_lesson

BROKEN_BUTTON = """\
import ipywidgets as w
button = w.Button(description="Break")
def fail(_):
    raise RuntimeError("a callback that fails")
button.on_click(fail)
button"""


def test_harness_sees_errors_and_the_log_console(new_page, lab_server):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(BROKEN_BUTTON),
                                         nbformat.v4.new_code_cell("1 / 0"),
                                         nbformat.v4.new_code_cell("print('never runs')")])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, lab_server.root / "harness-check.ipynb")
    lab = open_lesson(new_page(), lab_server, "harness-check.ipynb")
    try:
        lab.restart_and_run_all()
        assert lab.error_outputs() == ["cell 1: ZeroDivisionError: division by zero"]
        assert lab.log_console_messages() == []
        lab.cell(0).get_by_role("button", name=button_name("Break")).click()
        for _ in range(50):  # the message arrives asynchronously
            messages = "\n".join(lab.log_console_messages())
            if "a callback that fails" in messages:
                break
            lab.page.wait_for_timeout(200)
        assert "a callback that fails" in messages
    finally:
        close_lesson(lab)
        lab_server.shutdown_kernels()
        (lab_server.root / "harness-check.ipynb").unlink()
