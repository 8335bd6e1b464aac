"""WCAG 2.1 AA for the lessons as static HTML, and for their figures.

Each lesson is exported as nbconvert would for a course website: the classic template (it writes a
figure's alt text from the output metadata; the default lab template replaces it with a
placeholder), no prompts (their grey fails colour contrast), and the xcode code-highlighting style
(the default Jupyter style's purple `in`/`and`/`not` keywords fall short of 4.5:1 on the grey code
background). The page is opened in headless Chromium with the network blocked and checked with
axe-core for the WCAG 2.1 A and AA rules; then its images, headings and language are checked
directly. Figures are checked twice: in the stored outputs (each has alt text and is followed by
its text-table twin) and by executing the lesson with `course_lib.frontend.plots.show` watched, so that
every figure's series are told apart by more than colour.
"""

from __future__ import annotations

import json
import re
import textwrap
from types import SimpleNamespace

import pytest

from .labdriver import OPEN_PAGES, ROOT, serious_axe_violations

LESSONS = sorted((ROOT / "lessons").glob("*.ipynb"))
EXPORT_OPTIONS = "--to html --template classic --no-prompt --CSSHTMLHeaderPreprocessor.style=xcode"
IMAGE = re.compile(r"^image/(png|jpeg|gif|svg\+xml)$")


def export_html(notebook) -> str:
    """The lesson as `jupyter nbconvert {EXPORT_OPTIONS}` writes it (run in-process: same exporter)."""
    from nbconvert import HTMLExporter
    from traitlets.config import Config
    config = Config()
    config.CSSHTMLHeaderPreprocessor.style = "xcode"
    exporter = HTMLExporter(config=config, template_name="classic",
                            exclude_input_prompt=True, exclude_output_prompt=True)
    body, _ = exporter.from_filename(str(notebook))
    return body


@pytest.fixture(scope="module")
def offline_page(browser):
    """A page that can load local files only: the export's CDN scripts are refused, as offline."""
    context = browser.new_context()
    page = context.new_page()

    def only_local(route):
        url = route.request.url
        (route.continue_() if url.startswith(("file:", "data:")) else route.abort())
    page.route("**/*", only_local)
    shown = SimpleNamespace(page=page, path="exported-lesson.html", console=[])
    OPEN_PAGES.append(shown)  # a failing test saves a screenshot of it
    yield page
    OPEN_PAGES.remove(shown)
    context.close()


@pytest.mark.parametrize("notebook", LESSONS, ids=lambda p: p.name)
def test_exported_lesson_meets_wcag_21_aa(notebook, offline_page, axe_path, tmp_path):
    html_file = tmp_path / (notebook.stem + ".html")
    html_file.write_text(export_html(notebook), encoding="utf-8")
    page = offline_page
    page.goto(html_file.as_uri(), wait_until="load")
    serious = serious_axe_violations(page, axe_path)
    assert serious == [], f"{notebook.name} exported with {EXPORT_OPTIONS}: {json.dumps(serious, indent=1)}"

    assert page.evaluate("() => document.documentElement.lang"), "the page declares no language"
    alts = page.evaluate("() => [...document.images].map((i) => i.getAttribute('alt'))")
    assert all(a and a.strip() for a in alts), f"images without alt text: {alts}"
    placeholder = "No description has been provided"
    assert not any(placeholder in a for a in alts), "the template's placeholder alt text, not the figure's"
    levels = page.evaluate("() => [...document.querySelectorAll('h1,h2,h3,h4,h5,h6')]"
                           ".map((h) => [Number(h.tagName[1]), h.textContent.replace('¶', '').trim()])")
    assert levels and levels[0][0] == 1, "the page starts with an H1"
    assert [lv for lv, _ in levels].count(1) == 1, "exactly one H1"
    for (before, _), (level, title) in zip(levels, levels[1:]):
        assert level <= before + 1, f"heading level skipped: h{before} then h{level} {title!r}"


def figure_outputs(notebook):
    """(cell number, output number, outputs of the cell) for each stored figure output."""
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    for n, cell in enumerate(cells):
        outputs = cell.get("outputs", [])
        for k, out in enumerate(outputs):
            if any(IMAGE.match(m) for m in out.get("data", {})):
                yield n, k, outputs


def is_table(out) -> bool:
    data = out.get("data", {})
    markdown = "".join(data.get("text/markdown", ""))
    html = "".join(data.get("text/html", ""))
    return bool(re.search(r"^\|.*\|\s*$\n^\|\s*:?-{3,}", markdown, re.M) or "<table" in html)


@pytest.mark.parametrize("notebook", LESSONS, ids=lambda p: p.name)
def test_every_figure_has_alt_text_and_a_table_twin(notebook):
    for n, k, outputs in figure_outputs(notebook):
        out = outputs[k]
        image = next(m for m in out["data"] if IMAGE.match(m))
        alt = out.get("metadata", {}).get(image, {}).get("alt", "")
        assert alt.strip(), f"cell {n}: a figure without alt text in its output metadata (use plots.show)"
        assert k + 1 < len(outputs) and is_table(outputs[k + 1]), (
            f"cell {n}: the figure is not followed by its text-table twin (plots.show(..., table=...))")


# ---- colour is never the only cue -----------------------------------------------------------------

# Run first in the kernel: every figure that plots.show displays is described (colours, markers,
# line styles, hatches, text labels of each data series) before it is shown.
WATCH = textwrap.dedent('''
    import json as _json
    import course_lib.frontend.plots as _plots
    from matplotlib.colors import to_hex as _hex

    _COURSE_FIGURES = []
    _course_show = _plots.show

    def _series(ax):
        found = []
        for line in ax.get_lines():
            if len(line.get_xdata()) and line.get_visible():
                found.append({"what": "line", "colour": _hex(line.get_color()), "shape": str(line.get_marker()),
                              "style": str(line.get_linestyle()), "label": line.get_label()})
        for coll in ax.collections:
            faces = {_hex(c) for c in coll.get_facecolors()} if len(coll.get_facecolors()) else set()
            paths = coll.get_paths()
            shape = repr(paths[0].vertices.round(2).tolist()) if len(paths) else ""
            found.append({"what": type(coll).__name__, "colours": sorted(faces), "shape": shape,
                          "style": str(coll.get_hatch()), "points": len(coll.get_offsets())})
        for n, cont in enumerate(ax.containers):
            patches = [p for p in cont if hasattr(p, "get_facecolor")]
            found.append({"what": "bars", "colours": sorted({_hex(p.get_facecolor()) for p in patches}),
                          "shape": "bar", "style": str(patches[0].get_hatch()) if patches else "", "points": len(patches)})
        return found

    def _describe(fig):
        return [{"series": _series(ax), "texts": len([t for t in ax.texts if t.get_text().strip()]),
                 "ticklabels": len([t for t in ax.get_xticklabels() + ax.get_yticklabels() if t.get_text().strip()])}
                for ax in fig.get_axes()]

    def _watching_show(fig, *args, **kwargs):
        _COURSE_FIGURES.append(_describe(getattr(fig, "figure", fig) if not hasattr(fig, "savefig") else fig))
        return _course_show(fig, *args, **kwargs)

    _plots.show = _watching_show
''')
REPORT = "print('COURSE-FIGURES ' + _json.dumps(_COURSE_FIGURES))"


def colour_only_problems(figures) -> list[str]:
    """Where a figure tells series (or groups) apart by colour alone."""
    problems = []
    for f, axes in enumerate(figures, start=1):
        for a, ax in enumerate(axes, start=1):
            where = f"figure {f}, axes {a}"
            series = ax["series"]
            lines = [s for s in series if s["what"] == "line"]
            colours = {s["colour"] for s in lines}
            if len(colours) > 1:
                looks = {(s["shape"], s["style"]) for s in lines}
                if len(looks) < len(colours) and ax["texts"] < len(colours):
                    problems.append(f"{where}: {len(colours)} line colours but only {len(looks)} marker/line styles "
                                    "and no direct labels")
            groups = [s for s in series if s["what"] != "line"]
            for s in groups:  # one scatter or one bar series coloured by group, with nothing else telling
                if len(s["colours"]) > 1 and s["what"] != "bars" and ax["texts"] < len(s["colours"]):
                    problems.append(f"{where}: one {s['what']} uses {len(s['colours'])} colours with one marker shape")
            if len(groups) > 1:
                colour_sets = {tuple(s["colours"]) for s in groups}
                looks = {(s["shape"], s["style"]) for s in groups}
                if len(colour_sets) > 1 and len(looks) < len(colour_sets) and ax["texts"] < len(colour_sets):
                    problems.append(f"{where}: {len(groups)} series differ by colour only (give each a marker, "
                                    "a hatch or a direct label)")
    return problems


def lessons_with_figures():
    return [nb for nb in LESSONS if list(figure_outputs(nb)) or "plots." in nb.read_text(encoding="utf-8")]


def watched_figures(nb, folder, work) -> list:
    """Execute a notebook with plots.show watched; the description of every figure it showed."""
    import os

    import nbformat
    from nbclient import NotebookClient
    nb = nbformat.from_dict(json.loads(json.dumps(nb)))
    nb.cells.insert(0, nbformat.v4.new_code_cell(WATCH))
    nb.cells.append(nbformat.v4.new_code_cell(REPORT))
    before = os.environ.get("COURSE_LIB_WORK_DIR")
    os.environ["COURSE_LIB_WORK_DIR"] = str(work)  # the kernel inherits it: no answers carried over
    try:
        NotebookClient(nb, timeout=180, startup_timeout=120, kernel_name="python3",
                       resources={"metadata": {"path": str(folder)}}).execute()
    finally:
        if before is None:
            os.environ.pop("COURSE_LIB_WORK_DIR", None)
        else:
            os.environ["COURSE_LIB_WORK_DIR"] = before
    text = "".join(o.get("text", "") for o in nb.cells[-1].outputs)
    return json.loads(text.split("COURSE-FIGURES ", 1)[1])


def test_the_colour_check_catches_series_told_apart_by_colour_alone(tmp_path):
    import nbformat
    cell = textwrap.dedent('''
        from course_lib.frontend import plots
        table = [["x", "a", "b"], [1, 1, 2], [2, 2, 1]]
        fig, ax = plots.figure()
        ax.plot([1, 2], [1, 2], color="#0072B2", marker="o")
        ax.plot([1, 2], [2, 1], color="#D55E00", marker="o")
        plots.show(fig, alt="Two lines cross between x=1 and x=2: a rises from 1 to 2, b falls from 2 to 1.", table=table)
        fig, ax = plots.figure()
        ax.plot([1, 2], [1, 2], label="a")
        ax.plot([1, 2], [2, 1], label="b")
        plots.show(fig, alt="Two lines cross between x=1 and x=2: a rises from 1 to 2, b falls from 2 to 1.", table=table)
    ''')
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(cell)])
    figures = watched_figures(nb, tmp_path, tmp_path / "my-work")
    assert len(figures) == 2
    problems = colour_only_problems(figures)
    assert len(problems) == 1 and problems[0].startswith("figure 1"), problems


@pytest.mark.parametrize("notebook", lessons_with_figures() or [None],
                         ids=lambda p: p.name if p else "no-lesson-has-figures")
def test_colour_is_never_the_only_cue(notebook, tmp_path):
    if notebook is None:
        pytest.skip("no lesson shows a figure yet")
    import nbformat
    stored = sum(1 for _ in figure_outputs(notebook))
    figures = watched_figures(nbformat.read(notebook, as_version=4), notebook.parent, tmp_path / "my-work")
    assert len(figures) >= stored, (f"{notebook.name} stores {stored} figures but plots.show drew {len(figures)}: "
                                    "draw every figure with course_lib.frontend.plots.show")
    assert colour_only_problems(figures) == []
