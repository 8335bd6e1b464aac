"""plots: alt text that reaches the output, a colour-blind-safe look, text-table twins, no GUI needed."""

import base64
import os
import struct
import subprocess
import sys
from pathlib import Path

import matplotlib

matplotlib.use("agg")

import IPython.display  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
from IPython.core.interactiveshell import InteractiveShell  # noqa: E402
from matplotlib.colors import to_hex  # noqa: E402

from course_lib.frontend import plots  # noqa: E402
from course_lib.analysis import tables  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
ALT = "Bar chart of claims by type: checkable facts (9) outnumber opinions (5)."
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(autouse=True)
def no_open_figures():
    plt.close("all")
    yield
    plt.close("all")


@pytest.fixture
def displayed(monkeypatch):
    """What show() sends to Jupyter: a list of (data, metadata) pairs, as if in a kernel."""
    calls = []

    def fake_display(*objs, metadata=None, raw=False, **kwargs):
        assert raw, "show() must send a ready MIME bundle"
        assert not kwargs
        calls.extend((obj, metadata) for obj in objs)

    monkeypatch.setattr(InteractiveShell, "initialized", classmethod(lambda cls: True))
    monkeypatch.setattr(IPython.display, "display", fake_display)
    return calls


def bar_figure():
    fig, ax = plots.figure()
    ax.bar(["fact", "opinion"], [9, 5])
    ax.set_ylabel("claims")
    return fig


# --- alt text ------------------------------------------------------------------------------------

@pytest.mark.parametrize("alt", ["", "   ", "\n\t"])
def test_show_refuses_empty_alt_and_says_why(alt, displayed):
    fig = bar_figure()
    with pytest.raises(ValueError) as err:
        plots.show(fig, alt)
    message = str(err.value)
    assert "screen reader" in message and "for example alt=" in message
    assert displayed == []
    assert plt.get_fignums() == [], "a refused figure must not be shown later without alt text"


@pytest.mark.parametrize("alt", ["figure", "Plot", "chart.", "Figure 2", "the graph", "fig1.png",
                                 "plots/claims_by_type.svg", "<Figure size 640x400 with 1 Axes>"])
def test_show_refuses_placeholder_alt(alt, displayed):
    with pytest.raises(ValueError, match="placeholder") as err:
        plots.show(bar_figure(), alt)
    assert "what the figure shows" in str(err.value)
    assert displayed == []


def test_show_refuses_non_string_alt():
    with pytest.raises(TypeError, match="alt must be a string"):
        plots.show(bar_figure(), None)


def test_show_emits_one_png_with_alt_in_metadata_and_text(displayed):
    fig = bar_figure()
    result = plots.show(fig, alt=ALT)
    assert result is None
    assert len(displayed) == 1
    data, metadata = displayed[0]
    assert set(data) == {"text/html", "image/png", "text/plain"}
    assert data["text/html"] == f'<img src="data:image/png;base64,{data["image/png"]}" alt="{ALT}">'  # JupyterLab
    png = base64.b64decode(data["image/png"], validate=True)
    assert png.startswith(PNG_SIGNATURE)
    assert data["text/plain"] == "Figure: " + ALT
    assert metadata == {"image/png": {"alt": ALT}}   # what nbconvert's classic template reads
    assert plt.get_fignums() == []
    assert "0x" not in repr(displayed).replace(data["image/png"], "")


def test_alt_text_is_escaped_in_the_img_tag(displayed):
    plots.show(bar_figure(), alt='Bars for "A" & <B>, tallest first')
    data, _ = displayed[0]
    assert 'alt="Bars for &quot;A&quot; &amp; &lt;B&gt;, tallest first"' in data["text/html"]


def test_show_png_is_small_fixed_and_stable(displayed):
    plots.show(bar_figure(), alt=ALT)
    plots.show(bar_figure(), alt=ALT)
    first, second = (base64.b64decode(d["image/png"]) for d, _ in displayed)
    assert first == second
    assert struct.unpack(">II", first[16:24]) == (640, 400)
    assert b"atplotlib" not in first, "no version string in the PNG"
    assert len(first) < 60_000


def test_show_accepts_an_axes_and_normalises_whitespace(displayed):
    fig, ax = plots.figure()
    ax.plot([1, 2, 3])
    plots.show(ax, alt="  A line rising\nfrom 1 to 3.  ")
    assert displayed[0][0]["text/plain"] == "Figure: A line rising from 1 to 3."
    assert plt.get_fignums() == []


def test_show_raises_small_text_to_the_minimum(displayed):
    fig, ax = plots.figure()
    ax.plot([1, 2], label="a")
    legend = ax.legend(fontsize=7)
    plots.show(fig, alt="One line labelled a, rising.")
    assert all(t.get_fontsize() >= plots.MIN_FONT_SIZE for t in legend.get_texts())


def test_show_displays_the_table_twin_right_after(displayed):
    table = tables.text_table(["type", "claims"], [["fact", 9], ["opinion", 5]], "Claims by type")
    plots.show(bar_figure(), alt=ALT, table=table)
    assert len(displayed) == 2
    data, _ = displayed[1]
    assert data["text/markdown"] == table._repr_markdown_()
    assert data["text/plain"] == str(table)


def test_show_accepts_rows_as_a_table(displayed):
    plots.show(bar_figure(), alt=ALT, table=[["type", "claims"], ["fact", 9], ["opinion", 5]])
    text = displayed[1][0]["text/plain"]
    assert text.splitlines()[2:] == ["type     claims", "-------  ------", "fact          9",
                                     "opinion       5"]


def test_show_outside_jupyter_prints_text_only(capsys):
    plots.show(bar_figure(), alt=ALT, table=[["type", "claims"], ["fact", 9]])
    out = capsys.readouterr().out
    assert out.startswith("Figure: " + ALT + "\n")
    assert "fact" in out and "iVBOR" not in out and "0x" not in out


def test_show_in_a_real_kernel_gives_one_output_with_alt(tmp_path, monkeypatch):
    """The inline backend must not add a second, alt-less copy of the figure."""
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(
        "from course_lib import plots\n"
        "fig, ax = plots.figure()\n"
        "ax.plot([1, 2, 3], label='a')\n"
        "ax.legend()\n"
        f"plots.show(fig, alt={ALT!r})")]
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    nbclient.NotebookClient(nb, timeout=120, kernel_name="python3",
                            resources={"metadata": {"path": str(tmp_path)}}).execute()
    outputs = nb.cells[0].outputs
    assert [o.output_type for o in outputs] == ["display_data"]
    assert outputs[0].metadata == {"image/png": {"alt": ALT}}
    assert outputs[0].data["text/plain"] == "Figure: " + ALT


# --- palette and style ---------------------------------------------------------------------------

def test_palette_is_okabe_ito():
    assert plots.OKABE_ITO == ("#000000", "#E69F00", "#56B4E9", "#009E73",
                               "#F0E442", "#0072B2", "#D55E00", "#CC79A7")
    assert plots.COLOUR_NAMES["vermillion"] == "#D55E00"
    assert len(set(plots.MARKERS)) == len(plots.MARKERS) == 8


def test_style_cycles_markers_with_colours():
    with plots.style():
        fig, ax = plt.subplots()
    lines = [ax.plot([0, 1], [i, i])[0] for i in range(8)]
    pairs = [(to_hex(line.get_color()).upper(), line.get_marker()) for line in lines]
    assert {c for c, _ in pairs} == set(plots.OKABE_ITO)
    assert [m for _, m in pairs] == list(plots.MARKERS)
    assert pairs[-1][0] == "#F0E442", "the low-contrast yellow comes last"
    assert plots.series_style(1) == {"color": pairs[1][0], "marker": pairs[1][1]}


def test_style_is_readable_and_plain():
    with plots.style():
        rc = dict(matplotlib.rcParams)
    sizes = [rc[k] for k in ("font.size", "axes.labelsize", "axes.titlesize",
                             "xtick.labelsize", "ytick.labelsize", "legend.fontsize")]
    assert all(isinstance(s, (int, float)) and s >= 11 for s in sizes)
    assert rc["figure.facecolor"] == rc["axes.facecolor"] == "white"
    assert not rc["axes.spines.top"] and not rc["axes.spines.right"] and not rc["axes.grid"]
    assert matplotlib.rcParams["axes.spines.top"], "the context restores the defaults"


def test_figure_returns_fig_and_axes_in_style():
    fig, ax = plots.figure()
    assert ax.figure is fig
    assert not ax.spines["top"].get_visible()
    assert ax.plot([0, 1])[0].get_marker() == plots.MARKERS[0]
    fig, axes = plots.figure(1, 2)
    assert len(axes) == 2


def test_month_axis_ticks_the_first_of_each_month():
    from datetime import date
    fig, ax = plots.figure()
    ax.plot([date(2018, 5, 15), date(2018, 8, 24)], [0, 1])
    plots.month_axis(ax)
    fig.canvas.draw()
    labels = [t.get_text() for t in ax.get_xticklabels() if t.get_text()]
    assert labels == ["Jun 2018", "Jul 2018", "Aug 2018"]
    plots.month_axis(ax, "%B")
    fig.canvas.draw()
    assert [t.get_text() for t in ax.get_xticklabels() if t.get_text()] == ["June", "July", "August"]


@pytest.mark.parametrize("backend", [None, "tkagg"])
def test_figure_works_without_a_display(backend):
    env = {k: v for k, v in os.environ.items() if k not in {"DISPLAY", "WAYLAND_DISPLAY", "MPLBACKEND"}}
    if backend:
        env["MPLBACKEND"] = backend
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    code = ("from course_lib import plots; import matplotlib.pyplot as plt\n"
            "fig, ax = plots.figure(); ax.plot([1, 2])\n"
            "plots.show(fig, alt='A line from 1 to 2.')\n"
            "print(plt.get_backend(), plt.get_fignums())")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                         timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines() == ["Figure: A line from 1 to 2.", "agg []"]


# --- text tables ---------------------------------------------------------------------------------

def table():
    return tables.text_table(["claim", "type", "sources"],
                            [["c1", "fact | attribution", 3], ["c12", "opinion", None]],
                            "Claims and their sources")


def test_table_renders_markdown_with_caption_and_escaped_pipes():
    md = table()._repr_markdown_()
    assert md.splitlines() == [
        "**Claims and their sources**",
        "",
        "| claim | type | sources |",
        "| --- | --- | ---: |",
        "| c1 | fact \\| attribution | 3 |",
        "| c12 | opinion |  |",
    ]
    assert not any(line.startswith("#") for line in md.splitlines())


def test_table_renders_aligned_text_starting_with_the_caption():
    text = str(table())
    assert text == repr(table())
    assert text.splitlines() == [
        "Claims and their sources",
        "",
        "claim  type                sources",
        "-----  ------------------  -------",
        "c1     fact | attribution        3",
        "c12    opinion",
    ]


def test_table_escapes_markup_and_keeps_cells_on_one_line():
    t = tables.text_table(["a"], [["x < y & *z*\nnext"]], "A *bold* caption")
    md = t._repr_markdown_()
    assert "| x &lt; y &amp; *z* next |" in md
    assert md.startswith("**A \\*bold\\* caption**")


def test_table_is_frozen_and_validated():
    t = table()
    with pytest.raises(AttributeError):
        t.caption = "other"
    with pytest.raises(ValueError, match="row 2 has 1 cells but there are 2 headers"):
        tables.text_table(["a", "b"], [[1, 2], [3]], "Caption")
    with pytest.raises(ValueError, match="caption"):
        tables.text_table(["a"], [[1]], "  ")
    with pytest.raises(TypeError, match="list of rows"):
        plots.show(bar_figure(), alt=ALT, table="fact 9")


def test_text_tables_do_not_load_matplotlib():
    import subprocess
    import sys
    code = ("import sys; from course_lib.analysis import tables; tables.text_table(['a'], [[1]], 'c'); "
            "print('matplotlib' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_table_cells_from_case_files_carry_no_links_or_images():
    """Issue #15: a case file's text reaches text_table; a Markdown image is a tracking pixel, a link a lure."""
    import mistune
    attacks = ["![pixel](http://evil.example/t.png)", "[click me](javascript:alert(1))", "see https://evil.example/x",
               "www.evil.example", "<https://evil.example>", "[ref]\n\n[ref]: http://evil.example", "x](http://e)"]
    t = tables.text_table(["text"], [[a] for a in attacks], "Statements ![x](http://evil.example/c.png)")
    md = t._repr_markdown_()
    rendered = mistune.create_markdown(plugins=["table", "url"])(md)
    assert "<img" not in rendered and "<a " not in rendered and "href" not in rendered, rendered
    assert "pixel" in rendered and "evil.example" in rendered    # the text itself is still shown


# --- the lessons' figures ------------------------------------------------------------------------

def test_claim_map_puts_every_claim_on_its_sentence():
    from course_lib import load_case
    case = load_case()
    for by in ("type", "verdict"):
        fig, grid = plots.claim_map(case, by, "The article's claims")
        ax = fig.axes[0]
        assert sum(len(c.get_offsets()) for c in ax.collections) == len(case.claims)
        assert [t.get_text() for t in ax.get_yticklabels()] == list(grid.rows)
        assert ax.get_legend().get_title().get_text() == "claim type"
        assert len(grid.table()) == len(case.article.sentences)


def test_drift_chart_counts_words_per_pair():
    from course_lib.analysis.sourcing import compare
    drifts = {"a": compare("not to go at this time", "to not go"), "b": compare("I think so", "I know so")}
    fig, rows = plots.drift_chart(drifts)
    assert [r[0] for r in rows] == ["a", "b"]
    assert rows[1][1:4] == (drifts["b"].kept, drifts["b"].dropped, drifts["b"].added)
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == ["a", "b"]


@pytest.mark.parametrize("rows, verdict", [
    ([("a", 90, 50), ("b", 90, 50)], "over-confident"),
    ([("a", 60, 100)], "under-confident"),
    ([("a", 80, 100), ("b", 80, 50)], "well calibrated"),
])
def test_show_calibration_says_the_verdict_in_alt_and_table(rows, verdict, displayed):
    plots.show_calibration(rows)
    (figure, meta), (table, _) = displayed
    assert meta["image/png"]["alt"].endswith(f": {verdict}.")
    assert all(item in table["text/plain"] for item, *_ in rows)


def test_show_calibration_refuses_no_rows():
    with pytest.raises(ValueError, match="no rated attempts"):
        plots.show_calibration([])


def test_stance_series_draws_one_panel_per_dimension_and_tables_every_code():
    from datetime import date

    from course_lib import load_case
    case = load_case()
    names = {"PRES": "President", "STATE": "State Department"}
    fig, table = plots.stance_series(case, names, start=date(2018, 5, 15))
    assert len(fig.axes) == len(case.dimensions)
    wanted = sum(1 for s in case.statements if s.speaker in names for d in case.dimensions if s.codes.get(d.id))
    assert len(table.rows) == wanted and {r[2] for r in table.rows} == set(names.values())
    drawn = [x for ax in fig.axes for line in ax.get_lines() for x in line.get_xdata()]
    assert drawn and min(drawn) >= date(2018, 5, 15)


# --- the event-data timeline (lesson 04a) --------------------------------------------------------------

def test_swimlane_shows_alt_text_and_a_table_naming_the_reversal(displayed):
    from datetime import date

    from course_lib import load_case
    from course_lib.analysis import coordination
    events = coordination.events(load_case())
    plots.swimlane(events, date(2018, 8, 20), date(2018, 8, 29))
    (figure, meta), (table, _) = displayed
    alt = meta["image/png"]["alt"]
    assert alt.startswith("Swimlane timeline from 20 August to 29 August 2018")
    assert "STATE +4.0 on 23 Aug to PRES -4.0 on 24 Aug (toward PRK, lag 1 day)" in alt
    assert "| e34 |" in table["text/markdown"] and "conflictual" in table["text/plain"]
    assert plt.get_fignums() == []


@pytest.mark.parametrize("start, end", [("2018-08-20", "2018-08-29"), (1, 2)])
def test_swimlane_says_what_it_needs_instead_of_raising(start, end, capsys, displayed):
    from datetime import date
    plots.swimlane([], start, end)
    plots.swimlane([], date(2018, 8, 29), date(2018, 8, 20))
    out = capsys.readouterr().out
    assert out.count("swimlane needs two dates, the first not after the second") == 2 and displayed == []


# --- drawn once: the same PNG as savefig's own two passes ------------------------------------------

def _course_figures():
    """Each of the course's figure makers once, as a lesson draws it (show() intercepted)."""
    from datetime import date

    from course_lib import load_case
    from course_lib.analysis import coordination
    from course_lib.analysis.sourcing import compare
    case = load_case()
    made = [bar_figure(), plots.claim_map(case, "type", "The article's claims by type")[0],
            plots.drift_chart({"a": compare("not to go at this time", "to not go")})[0],
            plots.stance_series(case, {"PRES": "President", "STATE": "State"}, start=date(2018, 5, 15))[0]]
    fig, ax = plots.figure()
    ax.plot([date(2018, 5, 1), date(2018, 9, 1)], [1, -2], label="a date axis")
    ax.legend()   # made outside the style: raised to the minimum size by show()
    made.append(fig)
    real_show = plots.show
    try:
        plots.show = lambda fig, alt, table=None: made.append(fig)
        plots.swimlane(coordination.events(case), date(2018, 8, 20), date(2018, 8, 29))
        plots.show_calibration([("a", 90, 50), ("b", 60, 100)])
    finally:
        plots.show = real_show
    return made


def test_figures_are_drawn_once_and_give_the_png_savefig_gives(monkeypatch):
    from contextlib import nullcontext

    from matplotlib.figure import Figure
    draws = []
    real_draw = Figure.draw
    monkeypatch.setattr(Figure, "draw", lambda self, renderer: (draws.append(self), real_draw(self, renderer))[1])
    fast = []
    for fig in _course_figures():
        draws.clear()
        fast.append(plots._png(fig, ALT))
        assert len(draws) == 1, "one draw of the figure, not a hidden layout pass and then the real one"
        assert fig.get_layout_engine() is not None, "the layout engine is put back"
    with monkeypatch.context() as m:
        m.setattr(plots, "_laid_out_once", lambda fig: nullcontext())
        for fig, png in zip(_course_figures(), fast):
            draws.clear()
            assert plots._png(fig, ALT) == png, "the same bytes as savefig with its own layout pass"
            assert len(draws) == 2   # what savefig alone does with a layout engine: so the test can tell


def test_a_figure_at_another_dpi_is_left_to_savefig(displayed):
    fig, ax = plots.figure(dpi=50)
    ax.plot([1, 2])
    plots.show(fig, alt="A line rising from 1 to 2.")
    png = base64.b64decode(displayed[0][0]["image/png"])
    assert struct.unpack(">II", png[16:24]) == (640, 400)   # saved at the course's dpi, laid out by savefig


def test_swimlane_draws_runs_of_markers_in_event_order(monkeypatch):
    """One scatter per run of events with the same look, in the order they were drawn one by one, so a
    marker covers the same neighbours as before (the whole of 2018, where markers overlap)."""
    from datetime import date

    from matplotlib.collections import PathCollection

    from course_lib import current_case
    from course_lib.analysis import coordination
    got = []
    monkeypatch.setattr(plots, "show", lambda fig, alt, table=None: got.append(fig))
    events = coordination.events(current_case())
    plots.swimlane(events, date(2018, 1, 1), date(2018, 12, 31))
    ax = got[0].axes[0]
    runs = [c for c in ax.collections if isinstance(c, PathCollection) and len(c.get_offsets())]
    shown = [e for e in events if date(2018, 1, 1) <= e.date <= date(2018, 12, 31)]
    actors = tuple(current_case().lesson_data("04a")["lane_actors"])
    lanes = {a: len(actors) - i for i, a in enumerate(actors)}
    order = [e for lane in coordination.by_actor(shown, actors).values()
             for day in sorted({e.date for e in lane}) for e in lane if e.date == day]
    ys = [y for c in runs for _, y in c.get_offsets()]
    assert len(ys) == len(order) and len(runs) < len(order)
    assert ys == [lanes[e.actor] + 0.04 * e.goldstein for e in order]
    looks = [coordination.sign(e.goldstein, coordination.DEFAULTS.neutral) for e in order]
    assert len(runs) == 1 + sum(a != b for a, b in zip(looks, looks[1:])), "a new scatter only where the look changes"
