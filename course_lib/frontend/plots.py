"""Figures every student can read: a colour-blind-safe look, alt text, and a text table for each figure.

Use `figure()` to get `(fig, ax)` in the course style, draw, then `show(fig, alt=..., table=...)`:
the figure is displayed as a PNG whose alt text travels in an `<img alt>` (what JupyterLab shows),
in the output's metadata (what exported HTML uses) and in its `text/plain` ("Figure: ..."), then the
table is displayed as the figure's text twin. Series differ by marker shape as well as by colour (Okabe-Ito palette), so
nothing is told by colour alone. Outputs are deterministic, as nbval compares them.

Lessons import this module, and the memo and the class report for its table writers (`markdown_table`,
`text_columns`); `import course_lib` never does. matplotlib itself is imported
only when a figure is made, so a lesson that shows text tables alone never loads it. Where it cannot
be imported at all (JupyterLite offline, a bare Python), `figure()` returns stand-ins that accept
every drawing call and `show()` gives a one-line note, the alt text and the table: every lesson
still runs to the end and loses no information.
"""

from __future__ import annotations

import base64
import html
import io
import os
import re
import sys
from contextlib import contextmanager, nullcontext
from typing import Any

from course_lib.analysis.tables import Table, md_escape, text_table

__all__ = [
    "COLOUR_NAMES", "MARKERS", "MIN_FONT_SIZE", "NO_MATPLOTLIB_NOTE", "OKABE_ITO",
    "calibration_verdict", "claim_map", "drift_chart", "figure", "month_axis", "series_style", "show",
    "show_calibration", "stance_figure", "stance_series", "style", "swimlane",
]

#: The eight Okabe-Ito colours, in their published order.
OKABE_ITO: tuple[str, ...] = (
    "#000000",  # black
    "#E69F00",  # orange
    "#56B4E9",  # sky blue
    "#009E73",  # bluish green
    "#F0E442",  # yellow
    "#0072B2",  # blue
    "#D55E00",  # vermillion
    "#CC79A7",  # reddish purple
)

#: The same colours by name, for when a lesson's text names a colour.
COLOUR_NAMES: dict[str, str] = dict(zip(
    ("black", "orange", "sky blue", "bluish green", "yellow", "blue", "vermillion", "reddish purple"),
    OKABE_ITO,
))

#: One marker shape per colour, so series differ by shape as well as colour.
MARKERS: tuple[str, ...] = ("o", "s", "^", "D", "v", "P", "X", "*")

#: Smallest font size (points) of any text in a shown figure.
MIN_FONT_SIZE = 11

# The order series take the colours in: strongest contrast against white first; yellow (1.2:1),
# sky blue and orange (about 2:1) last, so a chart with few series keeps its lines visible.
_CYCLE_COLOURS = tuple(COLOUR_NAMES[n] for n in (
    "blue", "vermillion", "bluish green", "reddish purple", "black", "orange", "sky blue", "yellow"))

_FIGSIZE = (6.4, 4.0)   # inches; with _DPI a 640 x 400 PNG
_DPI = 100

_RC: dict[str, Any] = {   # with "axes.prop_cycle" added by style(), which needs matplotlib's cycler
    "figure.figsize": _FIGSIZE,
    "figure.dpi": _DPI,
    "figure.facecolor": "white",
    "figure.constrained_layout.use": True,   # labels fit without bbox_inches="tight" (fixed size)
    "savefig.dpi": _DPI,
    "savefig.facecolor": "white",
    "savefig.transparent": False,
    "axes.facecolor": "white",
    "axes.edgecolor": "#333333",
    "axes.labelcolor": "black",
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": False,
    "axes.titlesize": 14,
    "axes.titlelocation": "left",
    "axes.labelsize": 12,
    "font.size": 12,
    "figure.titlesize": 14,
    "xtick.labelsize": MIN_FONT_SIZE,
    "ytick.labelsize": MIN_FONT_SIZE,
    "xtick.color": "#333333",
    "ytick.color": "#333333",
    "text.color": "black",
    "legend.fontsize": MIN_FONT_SIZE,
    "legend.frameon": False,
    "lines.linewidth": 2.0,
    "lines.markersize": 7.0,
    "svg.hashsalt": "course-lib",           # if anyone saves an SVG, no random ids
}

_GUI_FRAMEWORKS = {"tk", "qt", "gtk3", "gtk4", "wx"}   # need a display server on Linux


#: Shown in place of a figure where matplotlib cannot be imported; the alt text and table follow it.
NO_MATPLOTLIB_NOTE = ("The figure cannot be drawn here (matplotlib is not available in this Python); "
                      "what it shows and its data follow as text.")


def _have_matplotlib() -> bool:
    """Whether matplotlib can be imported (a failed import is retried, so installing it later works)."""
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        return False
    return True


class _Blank:
    """Stands in for a Figure or Axes without matplotlib: every call and attribute is accepted and
    draws nothing, iterating gives nothing, so a lesson's drawing code runs unchanged."""

    __slots__ = ()

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return self

    def __call__(self, *args, **kwargs):
        return self

    def __getitem__(self, key):
        return self

    def __iter__(self):
        return iter(())

    def __bool__(self):
        return True

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return None

    def __repr__(self):
        return "<no figure: matplotlib is not available>"


def _blank_subplots(nrows=1, ncols=1, *, squeeze=True, **_):
    """`(fig, ax)` shaped like `plt.subplots(nrows, ncols)`: one stand-in, a row of them or a grid."""
    try:
        nrows, ncols = max(int(nrows), 1), max(int(ncols), 1)
    except (TypeError, ValueError):
        nrows = ncols = 1
    grid = tuple(tuple(_Blank() for _ in range(ncols)) for _ in range(nrows))
    if not squeeze:
        return _Blank(), grid
    if nrows == ncols == 1:
        return _Blank(), grid[0][0]
    if nrows == 1 or ncols == 1:
        return _Blank(), tuple(ax for row in grid for ax in row)
    return _Blank(), grid


def style():
    """A context manager giving the course look (an `rc_context`): colours with markers, readable
    fonts, a white background, no box or grid. Without matplotlib, a context that does nothing.

        with plots.style():
            fig, ax = plt.subplots()
    """
    if not _have_matplotlib():
        return nullcontext()
    import matplotlib as mpl
    from cycler import cycler

    return mpl.rc_context({**_RC, "axes.prop_cycle": cycler(color=_CYCLE_COLOURS) + cycler(marker=MARKERS)})


def series_style(i: int) -> dict[str, str]:
    """The colour and marker of the i-th series, for calls that do not follow the cycle
    (`ax.scatter(x, y, **plots.series_style(1))`)."""
    return {"color": _CYCLE_COLOURS[i % len(MARKERS)], "marker": MARKERS[i % len(MARKERS)]}


def _headless() -> bool:
    if sys.platform in ("win32", "darwin", "emscripten"):
        return False
    return not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def _pyplot():
    """pyplot, on the Agg backend when no display is present and no usable backend was chosen."""
    import matplotlib as mpl
    import matplotlib.pyplot as plt
    from matplotlib.backends import backend_registry

    if _headless():
        backend = mpl.get_backend(auto_select=False)   # None: not chosen yet
        gui = None
        if backend is not None:
            try:
                gui = backend_registry.resolve_backend(backend)[1]
            except (RuntimeError, ValueError):
                gui = None
        if backend is None or gui in _GUI_FRAMEWORKS:
            plt.switch_backend("agg")
    return plt


def figure(*args, **kwargs):
    """Return `(fig, ax)` from `plt.subplots(*args, **kwargs)`, made in the course style.

    Never needs a GUI: without a display it draws with Agg. In Jupyter, end the cell with
    `plots.show(fig, alt=...)`. Without matplotlib, stand-ins that draw nothing (`show` then gives
    the alt text and the table).
    """
    if not _have_matplotlib():
        return _blank_subplots(*args, **kwargs)
    plt = _pyplot()
    with style():
        return plt.subplots(*args, **kwargs)


def month_axis(ax, label_format: str = "%b %Y") -> None:
    """Tick a date x axis at the first of each month, labelled like "Jun 2018"
    (`label_format` takes `strftime` codes)."""
    if isinstance(ax, _Blank):
        return
    import matplotlib.dates as mdates

    ax.xaxis.set_major_locator(mdates.MonthLocator())
    ax.xaxis.set_major_formatter(mdates.DateFormatter(label_format))


# --- alt text -------------------------------------------------------------------------------------

_ALT_EXAMPLE = ('for example alt="Line chart of weekly Goldstein scores, Sept 2017 to Oct 2018: '
                'the US line falls below zero twice, each time a week after a cancelled summit."')
_PLACEHOLDER = re.compile(
    r"(an? |the )?(fig\.?|figure|plot|chart|graph|image|img|picture|diagram|visuali[sz]ation)"
    r"( ?\d+)?[.:]?|<figure size[^>]*>|no description.*|alt( text)?|todo|tbd|\.+|-+|\?+", re.I)
_FILE_NAME = re.compile(r"[\w~./\\:-]+\.(png|jpe?g|gif|svg|pdf|webp|bmp|tiff?|eps)", re.I)


def _check_alt(alt) -> str:
    if not isinstance(alt, str):
        raise TypeError(f"alt must be a string describing the figure, not {type(alt).__name__}; "
                        + _ALT_EXAMPLE)
    text = " ".join(alt.split())
    if not text:
        raise ValueError("alt text is empty. A student using a screen reader hears only the alt "
                         "text, so it must say what the figure shows and what to notice in it; "
                         + _ALT_EXAMPLE)
    if _FILE_NAME.fullmatch(text) or _PLACEHOLDER.fullmatch(text):
        raise ValueError(f"alt text {text!r} is a placeholder (a file name or a word like 'figure'), "
                         "which tells a screen-reader user nothing. Say what the figure shows and "
                         "what to notice in it; " + _ALT_EXAMPLE)
    return text


def _figure_of(fig):
    if hasattr(fig, "savefig"):
        return fig
    owner = getattr(fig, "figure", None)   # an Axes was passed
    if owner is not None and hasattr(owner, "savefig"):
        return owner
    raise TypeError(f"show() needs a matplotlib Figure (from plots.figure()), not {type(fig).__name__}")


def _png(fig, alt: str) -> str:
    """The figure as base64 PNG: fixed size and dpi, no version string in the file."""
    from matplotlib.text import Text

    for artist in fig.findobj(Text):   # legends and titles made after figure() returned
        if artist.get_text() and artist.get_fontsize() < MIN_FONT_SIZE:
            artist.set_fontsize(MIN_FONT_SIZE)
    buf = io.BytesIO()
    with style(), _laid_out_once(fig):
        fig.savefig(buf, format="png", dpi=_DPI, facecolor="white",
                    metadata={"Software": None, "Description": alt})
    return base64.b64encode(buf.getvalue()).decode("ascii")


@contextmanager
def _laid_out_once(fig):
    """Run the figure's constrained layout once, then let `savefig` draw it without a layout engine.

    With a layout engine, `savefig` draws the whole figure twice: a pass with drawing switched off,
    in which the layout runs, then the real one. Every text is measured again in the second pass, so
    on the course's figures the first pass was a third of `show()` (lesson 01's claim map: 2 figure
    draws, 506 text layouts; laid out here first: 1 draw, 356). The layout is the same call on the
    same figure at the same size and dpi, so the PNG is byte for byte the one `savefig` makes alone
    (tests/test_plots.py compares them). Anything else (another engine, dpi or pixel ratio) is left to
    `savefig`. The engine is put back afterwards."""
    import matplotlib as mpl
    from matplotlib.layout_engine import ConstrainedLayoutEngine

    engine = fig.get_layout_engine()
    if (type(engine) is not ConstrainedLayoutEngine or not fig.axes or fig.dpi != _DPI
            or getattr(fig.canvas, "device_pixel_ratio", 1) != 1):
        yield
        return
    try:
        engine.execute(fig)
    except ValueError:   # as Figure.draw does: a layout that cannot be solved leaves the axes as they are
        pass
    with mpl.rc_context({"figure.autolayout": False, "figure.constrained_layout.use": False}):
        fig.set_layout_engine(None)   # no engine (not 'none', which leaves a placeholder savefig lays out for)
    try:
        yield
    finally:
        fig.set_layout_engine(engine)


def _publish(data: dict, metadata: dict | None, fallback: str) -> None:
    """Display a raw MIME bundle in IPython/Jupyter; print its text elsewhere (plain Python)."""
    from IPython.core.interactiveshell import InteractiveShell
    import IPython.display

    if InteractiveShell.initialized():
        IPython.display.display(data, metadata=metadata, raw=True)
    else:
        print(fallback)


def show(fig, alt: str, *, table=None) -> None:
    """Display `fig` as a PNG carrying `alt` as its alt text, then `table` as its text twin.

    `alt` says what the figure shows and what to notice (a screen-reader user hears only this);
    an empty alt, a file name or a bare "figure"/"plot"/"chart" is refused with ValueError. The
    alt goes into an HTML `<img alt>` (what JupyterLab shows), into the output metadata
    `{"image/png": {"alt": alt}}` (nbconvert's classic template), into `text/plain` as
    "Figure: <alt>", and into the PNG's Description. `table` is a `Table` or a list of rows whose first row is the header. The figure
    is closed (also when refused, so no figure without alt text is ever displayed), and
    nothing is returned, so the cell shows nothing else. For a stand-in from `figure()` without
    matplotlib, a one-line note takes the figure's place, then the alt text and the table.
    """
    if isinstance(fig, _Blank):
        text = _check_alt(alt)
        twin = _as_table(table) if table is not None else None
        plain = f"{NO_MATPLOTLIB_NOTE}\nFigure: {text}"
        _publish({"text/markdown": f"*{md_escape(NO_MATPLOTLIB_NOTE)}*\n\n**Figure:** {md_escape(text)}",
                  "text/plain": plain}, None, plain)
        if twin is not None:
            _publish({"text/markdown": twin._repr_markdown_(), "text/plain": str(twin)}, None, str(twin))
        return
    fig = _figure_of(fig)
    plt = _pyplot()
    try:
        text = _check_alt(alt)
        twin = _as_table(table) if table is not None else None
        png = _png(fig, text)
    finally:
        plt.close(fig)
    plain = "Figure: " + text
    # JupyterLab 4 reads no alt from output metadata, so an <img> with alt goes first for it; the
    # metadata serves nbconvert's classic template, text/plain everything else.
    tag = f'<img src="data:image/png;base64,{png}" alt="{html.escape(text, quote=True)}">'
    _publish({"text/html": tag, "image/png": png, "text/plain": plain}, {"image/png": {"alt": text}}, plain)
    if twin is not None:
        _publish({"text/markdown": twin._repr_markdown_(), "text/plain": str(twin)}, None, str(twin))


# --- the event-data timeline (lesson 04a) -----------------------------------------------------------

# How an event's sign is drawn: marker, colour and word, so shape and position carry it without colour.
_SIGN_LOOK = {1: ("^", COLOUR_NAMES["blue"], "cooperative"),
              0: ("o", COLOUR_NAMES["black"], "neutral"),
              -1: ("v", COLOUR_NAMES["vermillion"], "conflictual")}


def _noon(day, hours=0):
    """Noon of `day` (a date), moved by `hours`: where a day's events sit on the time axis."""
    from datetime import datetime, time, timedelta
    return datetime.combine(day, time(12)) + timedelta(hours=hours)


def swimlane(evts, start=None, end=None, window_days=None, neutral=None, lanes=None, home=None) -> None:
    """Show a per-actor timeline of the events from `start` to `end` (two dates), with its alt text
    and its text table (every event, and the reversals the arrows join).

    Each actor of `lanes` gets a lane; an event sits above its lane's line when cooperative (upward
    triangle), on it when neutral (circle), below it when conflictual (downward triangle), at a height
    set by its Goldstein weight. Dotted vertical lines mark events by actors outside the `home`
    government. Numbered arrows join the reversals `coordination.reversals` finds among the lanes' shown events
    with `window_days` and `neutral` (by default, and for the minimum jump always, `coordination.DEFAULTS`);
    the legend gives each one's lag. The window, the lanes and the home government default to the
    current case's lesson 04a data (lessons.toml: timeline_start, timeline_end, lane_actors,
    home_government, home_name). Anything but two dates in order, a lane the case does not have, or
    lesson data the case lacks prints one sentence saying what to give instead.
    """
    from datetime import date, timedelta

    from course_lib.analysis import coordination
    from course_lib.case.records import MissingLessonData, current_case
    window_days = coordination.DEFAULTS.window_days if window_days is None else window_days
    neutral = coordination.DEFAULTS.neutral if neutral is None else neutral
    data = current_case().lesson_data("04a")
    try:
        start = data["timeline_start"] if start is None else start
        end = data["timeline_end"] if end is None else end
        lanes = tuple(data["lane_actors"] if lanes is None else lanes)
        home = data["home_government"] if home is None else home
    except MissingLessonData as missing:
        print(f"[Placeholder] {missing}")
        return
    word = data.get("home_name", home)
    if not (isinstance(start, date) and isinstance(end, date) and start <= end):
        print("swimlane needs two dates, the first not after the second, "
              "like swimlane(events, date(YYYY, M, D), date(YYYY, M, D)).")
        return
    try:
        coordination.by_actor(evts, lanes)
    except ValueError as problem:
        print(f"swimlane cannot draw these lanes: {problem}.")
        return
    shown = [e for e in evts if start <= e.date <= end]
    found = coordination.reversals([e for e in shown if e.actor in lanes], window_days, neutral=neutral)
    fig, ax = figure(figsize=(8, 6.4))
    lane_y = {actor: len(lanes) - i for i, actor in enumerate(lanes)}
    where, runs = {}, []   # runs: [sign, points] of events drawn one after another with the same look
    for actor, lane in coordination.by_actor(shown, lanes).items():
        ax.axhline(lane_y[actor], color="#bbbbbb", linewidth=0.8, zorder=0)
        for day in sorted({e.date for e in lane}):
            same_day = [e for e in lane if e.date == day]          # spread them out a little
            for k, e in enumerate(same_day):
                x, y = _noon(day, 4 * (2 * k - len(same_day) + 1)), lane_y[actor] + 0.04 * e.goldstein
                s = coordination.sign(e.goldstein, neutral)
                if not runs or runs[-1][0] != s:
                    runs.append([s, []])
                runs[-1][1].append((x, y))
                where[e.id] = (x, y)
    # One scatter per run, not per event: each costs an artist and a re-scaling of the axes, and in
    # this order a marker still covers the ones drawn before it, as when each was drawn alone.
    for s, points in runs:
        marker, colour, _ = _SIGN_LOOK[s]
        ax.scatter([x for x, _ in points], [y for _, y in points], marker=marker, color=colour, s=70, zorder=3)
    outside = [e for e in shown if e.government != home]
    for e in outside:
        ax.axvline(_noon(e.date), color="#777777", linestyle=":", linewidth=1, zorder=0)
        if e.actor not in lane_y:
            ax.text(_noon(e.date), len(lanes) + 0.45, f" {e.actor}", fontsize=11)
    for n, p in enumerate(found, 1):
        (x1, y1), (x2, y2) = where[p.first.id], where[p.second.id]
        ax.annotate("", xy=(x2, y2), xytext=(x1, y1),
                    arrowprops=dict(arrowstyle="->", color="#444444", linewidth=1.5))
        # a number on the arrow, its lag in the legend: labels never pile up where arrows meet
        ax.text(x1 + (x2 - x1) / 2, (y1 + y2) / 2, str(n), fontsize=10, ha="center", va="center",
                bbox=dict(boxstyle="circle", facecolor="white", edgecolor="#444444", pad=0.2), zorder=4)
        ax.plot([], [], " ", label=f"{n}: {p.first.actor} → {p.second.actor}, {p.lag.value:g} d ({p.first.target})")
    ax.set_yticks([lane_y[a] for a in lanes], lanes)
    ax.set_ylim(0.4, len(lanes) + 0.6)
    ticks = [_noon(start) + timedelta(days=d) for d in range(0, (end - start).days + 1, 2)]
    ax.set_xticks(ticks, [t.strftime("%d %b").lstrip("0") for t in ticks])
    for s in (1, 0, -1):
        marker, colour, name = _SIGN_LOOK[s]
        ax.scatter([], [], marker=marker, color=colour, label=name)
    ax.plot([], [], color="#777777", linestyle=":", marker="", label=f"non-{word} event")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=2)  # below: the plot keeps the width
    ax.set_title(f"Signals by actor, {start:%d %b} to {end:%d %b %Y}")
    ax.set_xlabel("Height above or below a lane's line: Goldstein weight (up to ±10)")
    arrows = "; ".join(f"{p.first.actor} {p.first.goldstein:+.1f} on {p.first.date:%d %b} to "
                       f"{p.second.actor} {p.second.goldstein:+.1f} on {p.second.date:%d %b} "
                       f"(toward {p.first.target}, lag {p.lag})" for p in found)
    alt = (f"Swimlane timeline from {start:%d %B} to {end:%d %B %Y}, one lane per actor ({', '.join(lanes)}). "
           "Each event sits above its lane's line when cooperative (upward triangle), on it when neutral "
           "(circle), below it when conflictual (downward triangle), at a height set by its Goldstein weight. "
           f"Dotted vertical lines mark {len(outside)} events by actors outside the {word} government. "
           f"Arrows mark {len(found)} reversals by a different {word} office within {window_days} days: {arrows}.")
    table = text_table(
        ["date", "actor", "target", "event", "code", "Goldstein", "drawn as"],
        [(e.date.isoformat(), e.actor, e.target, e.id, e.cameo, e.goldstein,
          _SIGN_LOOK[coordination.sign(e.goldstein, neutral)][2] + ("" if e.government == home else f", non-{word}"))
         for e in shown],
        f"The events of the timeline; arrows (reversals): {arrows}")
    show(fig, alt=alt, table=table)


def _as_table(table) -> Table:
    if isinstance(table, Table):
        return table
    if isinstance(table, (str, bytes)) or not hasattr(table, "__iter__"):
        raise TypeError("table must be a Table (tables.text_table(...)) or a list of rows, "
                        "the first row being the headers")
    rows = [tuple(r) for r in table]
    if not rows:
        raise ValueError("table is empty: give a header row, then the figure's data rows")
    return Table(rows[0], tuple(rows[1:]), "The figure's data as a table")


# --- the lessons' figures -------------------------------------------------------------------------
# Drawing code the lessons share, so a student's cell stays a few lines: it calls one of these, then
# `show(fig, alt=..., table=...)` with the alt text the lesson writes about what to notice.

def claim_map(case, by: str = "type", title: str = "The article's claims"):
    """Draw the article's claims, a row per sentence and a column per claim type (by="type") or
    reference verdict (by="verdict"); the marker always shows the type. Returns `(fig, grid)`:
    `grid.table()` gives the rows of the figure's text twin (lessons 01 and 02)."""
    from course_lib.analysis import sourcing

    grid = sourcing.claim_grid(case, by=by)
    fig, ax = figure(figsize=(8.4, 6.4))
    for i, kind in enumerate(sourcing.TYPE_ORDER):
        points = [p for p in grid.points if p.type == kind]
        ax.scatter([p.x for p in points], [p.y for p in points], s=70, label=kind, zorder=3, **series_style(i))
        for p in points:
            ax.annotate(p.claim, (p.x, p.y), xytext=(-7 if p.side == "left" else 7, 0), textcoords="offset points",
                        va="center", ha="right" if p.side == "left" else "left")
    for y in grid.breaks:
        ax.axhline(y, color="#c0c0c0", linewidth=0.8)
    ax.set_xticks(range(len(grid.columns)), grid.columns, rotation=30, ha="right")
    ax.set_yticks(range(len(grid.rows)), grid.rows)
    ax.set_xlim(-1.0, len(grid.columns) - 0.3)
    ax.invert_yaxis()
    ax.set_ylabel("sentence (paragraph.sentence)")
    ax.set_title(title)
    ax.legend(title="claim type", loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return fig, grid


def drift_chart(drifts: dict):
    """Draw, for each labelled comparison of `sourcing.compare` (a dict label -> Drift), how many of
    the source's words the paraphrase kept, dropped and added. Returns `(fig, rows)`, the rows
    (pair, kept, dropped, added, flags) being the figure's text twin (lesson 02)."""
    rows = [(label, d.kept, d.dropped, d.added, "; ".join(str(f) for f in d.flags) or "none")
            for label, d in drifts.items()]
    if not rows:   # a case without paraphrase pairs (lessons.toml): say so above the empty chart
        print("[Placeholder] No comparisons to draw: this case's lessons.toml has no paraphrase pairs "
              "(lesson 02a `pairs`).")
    fig, ax = figure(figsize=(7.6, 4.6))
    for i, (name, column) in enumerate((("kept", 1), ("dropped", 2), ("added", 3))):
        ax.scatter([r[column] for r in rows], [y + 0.2 * (i - 1) for y in range(len(rows))], s=60,
                   label=f"words {name}", zorder=3, **series_style(i))
    ax.set_yticks(range(len(rows)), [r[0] for r in rows])
    ax.invert_yaxis()
    ax.set_xlabel("number of words")
    ax.set_title("How much each paraphrase changes its source")
    ax.grid(axis="x", color="#e0e0e0")
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return fig, rows


def calibration_verdict(sure: float, right: float) -> str:
    """"over-confident", "under-confident" or "well calibrated": more than 5 points apart counts."""
    return "over-confident" if sure > right + 5 else "under-confident" if right > sure + 5 else "well calibrated"


def show_calibration(rows) -> None:
    """Show a student's confidence against accuracy: one point per (item, how sure in %, score in %)
    row (from `progress.first_rated`) beside the diagonal where score equals confidence, with alt
    text giving the averages and the verdict, and the rows as its text twin (lesson 02)."""
    rows = list(rows)
    if not rows:
        raise ValueError("no rated attempts to show: answer with a confidence first")
    sure = sum(r[1] for r in rows) / len(rows)
    right = sum(r[2] for r in rows) / len(rows)
    fig, ax = figure(figsize=(6.4, 4.6))
    ax.plot([50, 100], [50, 100], linestyle="--", color="#767676", marker="", label="right as often as sure")
    ax.scatter([r[1] for r in rows], [r[2] for r in rows], s=70, label="your first attempts", zorder=3,
               **series_style(0))
    for item, conf, score in rows:
        ax.annotate(item, (conf, score), xytext=(6, 4), textcoords="offset points")
    ax.set_xlim(45, 105)
    ax.set_ylim(-5, 105)
    ax.set_xlabel("how sure you were (%)")
    ax.set_ylabel("score of the first attempt (%)")
    ax.set_title("Confidence against accuracy")
    ax.legend(loc="upper left")
    show(
        fig,
        alt=(f"Scatter of {len(rows)} first attempts, confidence from 50 to 100 percent across, score from 0 "
             f"to 100 percent up, beside the diagonal where score equals confidence. On average you were "
             f"{sure:.0f}% sure and scored {right:.0f}%: {calibration_verdict(sure, right)}."),
        table=text_table(["exercise", "how sure (%)", "score (%)"], rows,
                         f"Your first rated attempts: {sure:.0f}% sure on average, {right:.0f}% right"),
    )


def stance_series(case, names: dict | None = None, start=None):
    """Draw the reference stance codes of the case's statements, one panel per stance dimension and
    one line per speaker in `names` (speaker id -> the name in the legend), from the date `start`
    on (earlier statements are in the table only). Returns `(fig, table)`, the table listing every
    code by dimension and date: the figure's text twin (lesson 05a). `names` and `start` default to
    the case's lesson 05a data (series_speakers, series_start), else every speaker by id from the first
    statement on. A speaker the case does not have raises a ValueError naming it."""
    from course_lib.analysis import consistency
    data = case.lesson_data("05a")
    if names is None:
        names = ({s["actor"]: s["name"] for s in data["series_speakers"]} if "series_speakers" in data
                 else {s.speaker: s.speaker for s in case.statements})
        start = data.get("series_start") if start is None else start
    known = {*case.actors.ids, *(s.speaker for s in case.statements)}
    for who in names:
        if who not in known:
            raise ValueError(f"unknown speaker {who!r}: expected one of {', '.join(sorted(known))}")

    fig, axes = figure(len(case.dimensions), 1, figsize=(8, 2.5 * len(case.dimensions)), sharex=True)
    rows = []
    for ax, dim in zip(axes, case.dimensions):
        series = consistency.stance_series(case.statements, dim)
        for i, (who, name) in enumerate(names.items()):
            points = series.get(who, [])
            rows += [(dim.id, d.isoformat(), name, sid, dim.values[p]) for d, p, sid in points]
            shown = [(d, p) for d, p, _ in points if start is None or d >= start]
            if shown:
                ax.plot(*zip(*shown), linestyle=":", label=name, **series_style(i))
        ax.set_yticks(range(len(dim.values)), dim.values)
        ax.set_ylim(-0.5, len(dim.values) - 0.5)
        ax.set_title(f"{dim.id} {dim.name}")
    month_axis(axes[-1])
    legend = {label: h for ax in axes for h, label in zip(*ax.get_legend_handles_labels())}
    fig.legend(legend.values(), legend.keys(), loc="outside lower center", ncols=3)
    table = text_table(["dimension", "date", "speaker", "statement", "code"], sorted(rows),
                       "Reference codes of the case's statements, by dimension and date")
    return fig, table


def stance_figure(case) -> None:
    """Show lesson 05a's stance figure of the case: `stance_series` with the lesson's speakers and first
    day, and the alt text the case's lessons.toml gives it (series_alt), then its text table. Lesson
    data the case lacks prints one sentence naming the key to add, never a traceback."""
    from course_lib.case.records import MissingLessonData
    data = case.lesson_data("05a")
    try:
        alt = data["series_alt"]
        data["series_speakers"]
    except MissingLessonData as missing:
        print(f"[Placeholder] {missing}")
        return
    fig, table = stance_series(case)
    show(fig, table=table, alt=alt)
