"""The JupyterLite build's pins agree with each other and with the Binder environment (no build here;
tests/browser/test_lite.py builds and runs the site)."""

import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LITE = ROOT / "lite"


def _pins(path: Path) -> dict[str, str]:
    out = {}
    for line in path.read_text().splitlines():
        line = line.split("#")[0].strip()
        if line and line != ".":
            assert re.fullmatch(r"[A-Za-z0-9_.-]+==[0-9][0-9A-Za-z.]*", line), f"{path.name}: {line!r} is not an exact pin"
            name, version = line.split("==")
            out[name.lower()] = version
    return out


def test_every_build_tool_is_pinned_exactly():
    tools = _pins(LITE / "requirements.txt")
    assert {"jupyterlite-core", "jupyterlite-pyodide-kernel"} <= set(tools)
    assert tools["jupyterlite-core"].rsplit(".", 1)[0] == tools["jupyterlite-pyodide-kernel"].rsplit(".", 1)[0]


def test_the_kernel_gets_the_ipywidgets_students_get_on_binder():
    assert _pins(LITE / "kernel-requirements.txt")["ipywidgets"] == _pins(ROOT / "binder" / "requirements.txt")["ipywidgets"]


def test_pyodide_is_pinned_to_the_version_the_kernel_expects():
    wanted = json.loads((LITE / "package.json").read_text())["dependencies"]["pyodide"]
    locked = json.loads((LITE / "package-lock.json").read_text())["packages"]["node_modules/pyodide"]["version"]
    assert re.fullmatch(r"\d+\.\d+\.\d+", wanted) and locked == wanted
    try:
        from jupyterlite_pyodide_kernel.constants import PYODIDE_VERSION
    except ImportError:
        return   # the build tools are not installed here; make lite installs them
    assert PYODIDE_VERSION == wanted


def test_the_site_never_falls_back_to_pypi_or_a_cdn():
    config = json.loads((LITE / "jupyter-lite.json").read_text())
    kernel = config["jupyter-config-data"]["litePluginSettings"]["@jupyterlite/pyodide-kernel-extension:kernel"]
    assert kernel["disablePyPIFallback"] is True
    assert "pyodideUrl" not in kernel   # the build points it at the copy inside the site
