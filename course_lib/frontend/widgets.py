"""The drawing of an exercise: `show(item_id)` draws it as labelled ipywidgets controls, and the page script.

The logic behind the controls lives in the checking wing: each button calls the plain call a student
can type instead (`checking.session`: `answer`, `hint`, `show_answer`), so a control never judges an
answer itself. CONTROLS holds, for each kind, how its controls are built and how a saved answer is put
back into them. Where no widget front end renders the view (nbconvert, nbval, a console), the same
output reads as text (`session.as_text`): the options and the `answer(...)` call to use. Lesson 04b's
sensitivity lab (`sensitivity_panel` and its plain calls) is drawn here too.
"""

from __future__ import annotations

import html
import uuid
from dataclasses import dataclass
from typing import Callable

from course_lib.work.note import Note
from course_lib.case.records import current_case
from course_lib.analysis.coordination import DEFAULTS
from course_lib.checking import session
from course_lib.checking.checks import option_label

__all__ = ["CONTROLS", "TextTwin", "entry_label", "excerpt", "order_label", "sensitivity_grid", "sensitivity_lab",
           "sensitivity_panel", "show", "view_bundle"]


# ---- the widget version ------------------------------------------------------------------------

def show(item_id) -> None:
    """Display an exercise as labelled controls with Check, Hint and Show answer buttons."""
    item = session.find(item_id)
    last = None if isinstance(item, Note) else session.last_attempt(item)
    if not _in_ipython():  # a plain Python console: the text version is the whole exercise
        print(item if isinstance(item, Note) else session.as_text(item, last))
        return
    from IPython.display import display
    if isinstance(item, Note):
        display(item)
        return
    try:
        box = _build(item, last)
    except ImportError:  # no ipywidgets: the text version still works
        print(session.as_text(item, last))
        return
    display({"application/javascript": PAGE_JS}, raw=True)
    display(view_bundle(box, session.as_text(item, last)), raw=True)


def view_bundle(widget, text: str) -> dict:
    """What `widget._repr_mimebundle_()` gives, with `text` as its plain-text form: the one place a widget
    gets its text twin (what nbconvert, nbval, a console and the tests read where no widget renders).
    ipywidgets builds its own text/plain from repr() of every model in the tree (a quarter of show()'s
    time) only to be replaced."""
    return {"text/plain": text,
            "application/vnd.jupyter.widget-view+json": {"version_major": 2, "version_minor": 0,
                                                         "model_id": widget.model_id}}


class TextTwin:
    """A widget returned from a call, shown as the widget with `text` as its plain-text form (view_bundle)."""

    def __init__(self, widget, text: str):
        self.widget, self.text = widget, text

    def _repr_mimebundle_(self, include=None, exclude=None):
        return view_bundle(self.widget, self.text)

    def __repr__(self) -> str:
        return self.text


#: What the page needs for an exercise to own its keyboard and be read out well, in JupyterLab and
#: Notebook 7 (it runs where outputs are trusted, i.e. after the cell ran; static HTML needs none):
#: - JupyterLab (4.6) listens for keydown on the document in the bubbling phase and, in command mode,
#:   matches ".jp-Notebook.jp-mod-commandMode:not(.jp-mod-readWrite) :focus" - any focused element that
#:   is not :read-write, so "b", "x", arrows and Enter on a radio, checkbox, select or button act on the
#:   notebook. `data-lm-suppress-shortcuts` only helps on the focused element itself, so each exercise
#:   stops the propagation of unmodified keys at its own frame: the control still gets them (arrows move
#:   the radio choice, Space ticks, Enter presses), the notebook never does. Ctrl/Alt/Meta combinations
#:   (Ctrl+S) and Escape still reach Lab.
#: - Roles and names: the frame is a group named by its heading; the options a radiogroup named by the
#:   title and prompt; each drop-down is named by its label and its sentence; the feedback area is one
#:   persistent polite live region; focus shows as a 2px outline (#0b57d0: 6.4:1 on white).
KEYBOARD_JS = r"""
(function () {
  const doc = window.document;
  if (!doc.getElementById('course-lib-exercise-style')) {
    const style = doc.createElement('style');
    style.id = 'course-lib-exercise-style';
    style.textContent = '.course-exercise :focus-visible, .course-exercise input:focus, ' +
      '.course-exercise select:focus, .course-exercise button:focus, .course-exercise textarea:focus ' +
      '{ outline: 2px solid #0b57d0 !important; outline-offset: 2px !important; }';
    doc.head.appendChild(style);
  }
  function keep(event) {
    if (event.ctrlKey || event.metaKey || event.altKey || event.key === 'Escape') return;
    event.stopPropagation();
  }
  function enhance(root) {
    // run on every change: ipywidgets draws the children after the frame, so roles come as they do
    if (!root.dataset.courseKeys) {
      root.dataset.courseKeys = '1';
      root.addEventListener('keydown', keep);
    }
    const title = root.querySelector('.course-exercise-title');
    const prompt = root.querySelector('.course-exercise-prompt');
    if (title && root.getAttribute('aria-labelledby') !== title.id) {
      root.setAttribute('role', 'group');
      root.setAttribute('aria-labelledby', title.id);
    }
    root.querySelectorAll('.widget-radio-box').forEach((box) => {
      box.setAttribute('role', 'radiogroup');
      if (title && prompt) box.setAttribute('aria-labelledby', title.id + ' ' + prompt.id);
    });
    root.querySelectorAll('.course-results').forEach((list) => list.setAttribute('role', 'list'));
    root.querySelectorAll('.course-result').forEach((item) => item.setAttribute('role', 'listitem'));
    root.querySelectorAll('.course-search-path').forEach((log) => log.setAttribute('aria-live', 'polite'));
    root.querySelectorAll('.course-feedback-area').forEach((area) => {
      area.setAttribute('role', 'status');
      area.setAttribute('aria-live', 'polite');
      // one live region: the feedback inside is replaced at each check, so it must not be another
      area.querySelectorAll('[role="status"]').forEach((inner) => inner.removeAttribute('role'));
    });
    root.querySelectorAll('[class*="course-named-by-"]').forEach((control) => {
      const cls = [...control.classList].find((c) => c.startsWith('course-named-by-'));
      const select = control.querySelector('select');
      const label = control.querySelector('label');
      if (!cls || !select) return;
      if (label && !label.id) label.id = cls.slice('course-named-by-'.length) + '-label';
      select.setAttribute('aria-labelledby',
        (label ? label.id + ' ' : '') + cls.slice('course-named-by-'.length));
    });
  }
  function download(list) {
    // a download the student just asked for starts at once; each build only once, even after a reload
    const nonce = list.dataset.nonce;
    let seen = '';
    try { seen = window.sessionStorage.getItem('course-lib-downloaded') || ''; } catch (e) { /* private mode */ }
    if (!nonce || list.dataset.clicked || seen.split(' ').includes(nonce)) return;
    list.dataset.clicked = '1';
    try { window.sessionStorage.setItem('course-lib-downloaded', (seen + ' ' + nonce).slice(-2000)); } catch (e) { }
    list.querySelectorAll('a[download]').forEach((a) => a.click());
  }
  function scrollable(md) {
    // a table wider than the output scrolls sideways instead of being cut off; when it does scroll,
    // its box takes the focus (so the keyboard can scroll it) and is named by its caption
    if (!md.querySelector(':scope > table')) return;
    md.style.overflowX = 'auto';
    if (md.scrollWidth > md.clientWidth + 1 && !md.hasAttribute('tabindex')) {
      const caption = md.querySelector(':scope > p strong');
      md.tabIndex = 0;
      md.setAttribute('role', 'region');
      md.setAttribute('aria-label', caption ? caption.textContent : 'Table');
    }
  }
  function scan(node) {
    (node.querySelectorAll ? node : doc).querySelectorAll('.course-exercise').forEach(enhance);
    doc.querySelectorAll('.jp-OutputArea-output .jp-RenderedMarkdown').forEach(scrollable);
    doc.querySelectorAll('.course-download-now[data-nonce]').forEach(download);
    doc.querySelectorAll('.course-download').forEach((root) => {
      if (!root.dataset.courseKeys) {
        root.dataset.courseKeys = '1';
        root.addEventListener('keydown', keep);
      }
      const links = root.querySelector('.course-download-links');
      if (links && !links.getAttribute('aria-live')) {
        links.setAttribute('role', 'status');
        links.setAttribute('aria-live', 'polite');
      }
    });
  }
  scan(doc);
  let pending = false;
  function later() {  // at most one scan a frame, however many nodes Lab changes
    if (pending) return;
    pending = true;
    window.requestAnimationFrame(() => { pending = false; scan(doc); });
  }
  if (!window.__courseLibObserver) {
    window.__courseLibObserver = new MutationObserver(later);
    window.__courseLibObserver.observe(doc.body, {childList: true, subtree: true});
  }
})();
"""


def _compact(js: str) -> str:
    """The helper on one line, without its comments, as it is stored with every exercise's output."""
    lines = []
    for line in js.splitlines():
        code = line.split("  // ")[0].strip()
        if code and not code.startswith("//"):
            lines.append(code)
    return " ".join(lines)


#: KEYBOARD_JS as each show() sends it (a few kB, stored in the lesson's outputs).
PAGE_JS = _compact(KEYBOARD_JS)


_shared: dict = {}


def _make(w, cls, *args, wide=False, classes=(), **kwargs):
    """A control that shares its layout and style objects with every other control of its class:
    each is a widget model of its own, and one per control would double what a lesson sends. `classes`
    are its CSS classes, sent with the model (add_class afterwards would send one more message each)."""
    if classes:
        kwargs["_dom_classes"] = tuple(classes)
    traits = cls.class_traits()
    if "style" in traits and "style" not in kwargs:
        style_cls = traits["style"].klass
        key = (style_cls, wide)
        if key not in _shared:
            _shared[key] = style_cls(description_width="initial") if wide else style_cls()
        kwargs["style"] = _shared[key]
    if "layout" not in kwargs:
        kwargs["layout"] = _styles(w)["plain"]
    return cls(*args, **kwargs)


def _styles(w):
    """The shared layouts: the default, full width for long option labels, the feedback area, the
    exercise's frame and the text area. Nothing changes a layout after it is made, so sharing is safe."""
    if "plain" not in _shared:
        _shared.update(plain=w.Layout(), full=w.Layout(width="auto"),
                       feedback=w.Layout(border="1px solid #767676", padding="4px", min_height="2em"),
                       frame=w.Layout(border="1px solid #c0c0c0", padding="8px", margin="8px 0"),
                       text_area=w.Layout(width="95%"), stop=w.Layout(width="16em"))
    return _shared


_views = iter(range(1, 1 << 62))


def _build(item, last):
    import ipywidgets as w
    full = _styles(w)["full"]
    base = f"course-{uuid.uuid4().hex[:8]}-{next(_views)}"  # unique on the page, so ids never collide
    header = _make(w, w.HTML, f'<h3 class="course-exercise-title" id="{base}-title">Exercise {html.escape(item.id)}: '
                   f'{html.escape(item.title)}</h3><p class="course-exercise-prompt" id="{base}-prompt">'
                   f'{html.escape(item.prompt)}</p>')
    kind = CONTROLS[item.kind]
    controls, read = kind.build(item, w, full, base)
    conf = _confidence_control(w, last) if item.confidence else None
    check_btn = _make(w, w.Button, description=kind.check_label, button_style="primary",
                      tooltip="Check your answer",
                      **({"layout": _styles(w)[kind.check_layout]} if kind.check_layout else {}))
    hint_btn = _make(w, w.Button, description="Hint", tooltip="Show the next hint")
    answer_btn = _make(w, w.Button, description="Show answer", tooltip="Show the reference answer", disabled=last is None)
    out = _make(w, w.Output, layout=_styles(w)["feedback"], classes=["course-feedback-area"])
    if last is not None:
        _restore(item, controls, last)
        out.append_display_data(Note(f"Your last answer (attempt {last.attempt}) was {last.verdict}:"))
        out.append_display_data(session.recheck(item, last))

    def guarded(action):
        def run(_button):
            try:
                action()
            except Exception as exc:  # a callback's error would vanish into JupyterLab's log
                out.append_display_data(Note(f"Something went wrong ({type(exc).__name__}); use the "
                                             f"plain call instead: answer(\"{item.id}\", ...)."))
        return run

    def on_check():
        fb = session.answer(item.id, read(), confidence=confidence_of(conf))
        out.outputs = ()
        out.append_display_data(fb)
        answer_btn.disabled = False

    def on_hint():
        out.append_display_data(session.hint(item.id))
        if session.all_hints_used(item):
            answer_btn.disabled = False

    def on_answer():
        out.append_display_data(session.show_answer(item.id))

    check_btn.on_click(guarded(on_check))
    if kind.enter_checks:  # Enter in the box checks, as a student expects of a form
        _check_on_enter(controls[-1], guarded(on_check))
    hint_btn.on_click(guarded(on_hint))
    answer_btn.on_click(guarded(on_answer))
    parts = [header, *controls] + ([conf] if conf else []) + [_make(w, w.HBox, [check_btn, hint_btn, answer_btn]), out]
    return _make(w, w.VBox, parts, layout=_styles(w)["frame"], classes=["course-exercise"])


NOT_SAID = ""   # the confidence control's value for "not said": recorded as None, never as a number
CONFIDENCE_CHOICES = (("not said", NOT_SAID),) + tuple((f"{n}%", n) for n in range(50, 101, 10))


def _confidence_control(w, last=None):
    """The labelled "How sure are you?" drop-down (a native select, so arrow keys and a screen reader
    work). It starts at "not said", which records no confidence: an untouched control must not look
    like a rating (it once recorded 70%, which skewed lesson 02's calibration). A confidence saved with
    the last attempt is put back."""
    kept = getattr(last, "confidence", None)
    values = [v for _, v in CONFIDENCE_CHOICES]
    box = _make(w, w.Dropdown, options=list(CONFIDENCE_CHOICES), value=kept if kept in values else NOT_SAID,
                description="How sure are you?", tooltip="Optional: how sure you are of this answer",
                wide=True, classes=["course-confidence"])
    return box


def confidence_of(control) -> int | None:
    """The confidence a control holds, for answer(): None when there is no control or it says "not said"."""
    if control is None:
        return None
    value = control.value
    return value if type(value) is int else None


def _check_on_enter(box, check) -> None:
    """Run `check` when Enter is pressed in `box`, with the value as typed.

    ipywidgets sends Enter ("submit") at once but throttles value updates while the kernel is busy,
    so the last keystrokes can arrive after it: the check waits until the value has been still for a
    moment (on the kernel's event loop; at once where there is none, as in a plain test)."""
    pending = {}

    def later(*_):
        if pending.get("handle") is None and not pending.get("armed"):
            return
        if pending.get("handle") is not None:
            pending["handle"].cancel()
        loop = _kernel_loop()
        if loop is None:
            pending.update(handle=None, armed=False)
            check(None)
            return

        def run():
            pending.update(handle=None, armed=False)
            check(None)
        pending["handle"] = loop.call_later(0.4, run)

    def on_msg(_w, content, _buffers):
        if isinstance(content, dict) and content.get("event") == "submit":
            pending["armed"] = True
            later()
    box.on_msg(on_msg)
    box.observe(later, names="value")


def _kernel_loop():
    """The event loop a Jupyter kernel receives widget messages on, or None outside a kernel."""
    try:
        from IPython import get_ipython
        shell = get_ipython()
        if shell is None or getattr(shell, "kernel", None) is None:
            return None
        import asyncio
        return asyncio.get_running_loop()
    except Exception:
        return None


#: The search item's Check button: stopping is the choice that is scored.
STOP_LABEL = "Stop here, I know enough"


def _search_controls(item, w, full, base):
    """A simulated results page: each result a heading, its address and snippet, and an Open button;
    each opening shows the page and joins the path; Start over clears the path (saved attempts stay)."""
    e = html.escape
    path: list[str] = []
    intro = _make(w, w.HTML, f'<p id="{base}-results"><strong>Search results (simulated)</strong>: '
                  f"{len(item.results)} results, in the order the page lists them. Each snippet is labelled with "
                  "what it rests on. Open as few as you need, then stop.</p>")
    log = _make(w, w.HTML, "<p>Opened so far: nothing.</p>", classes=["course-search-path"])
    pages, rows, openers = {}, [], {}
    for n, r in enumerate(item.results, 1):
        card = _make(w, w.HTML, f'<h4 id="{base}-r{n}">{n}. {e(r.title)}</h4><p><code>{e(r.address)}</code></p>'
                     f"<p>{e(r.snippet)}</p>")
        button = _make(w, w.Button, description=f"Open result {n}", tooltip=f"Open result {n}: {r.title}")
        page = _make(w, w.HTML, "")
        pages[r.id] = page
        row = _make(w, w.VBox, [card, button, page], classes=["course-result"])
        rows.append(row)

        def opened(_b=None, r=r, n=n, page=page):
            if r.id not in path:
                path.append(r.id)
            page.value = (f'<div class="course-opened"><p><strong>Opened (your opening number '
                          f"{path.index(r.id) + 1}): {e(r.title)}</strong></p><p>{e(r.opened)}</p></div>")
            log.value = "<p>Opened so far: " + " → ".join(e(i) for i in path) + ".</p>"
        openers[r.id] = opened
        button.on_click(opened)
    listing = _make(w, w.VBox, rows, classes=["course-results"])
    again = _make(w, w.Button, description="Start over", tooltip="Clear the path and open results afresh")

    def start_over(_b=None):
        path.clear()
        for page in pages.values():
            page.value = ""
        log.value = "<p>Opened so far: nothing.</p>"
    again.on_click(start_over)

    def restore(value):
        start_over()
        for rid in value:
            if rid in openers:
                openers[rid]()
    intro._course_restore = restore
    return [intro, listing, log, again], lambda: list(path) + ["stop"]


EXCERPT_CHARS = 40        # a drop-down's label: the entry's id and the start of its text
ORDER_EXCERPT_CHARS = 70  # an ordering option: the entry's id and most of its text


def excerpt(text: str, limit: int = EXCERPT_CHARS) -> str:
    """The start of `text` on one line, cut at a word boundary and ended with "…" when longer than `limit`."""
    text = " ".join(str(text).split())
    if len(text) <= limit:
        return text
    cut = text[:limit + 1].rsplit(" ", 1)[0] if " " in text[:limit + 1] else text[:limit]
    return cut.rstrip(" ,;:.–—-(“‘\"'") + "…"


def entry_label(entry, verb: str = "Sort") -> str:
    """What a sorting or matching drop-down says: its entry's id and a short excerpt, as in
    "Sort p2.s3 — “the latest round of talks…”:". The full text stands above the drop-down and in its
    tooltip, and names it for a screen reader (see KEYBOARD_JS)."""
    text = " ".join(entry.text.split())
    if len(text) > 1 and text[0] in "“\"" and text[-1] in "”\"" and text.count("“") <= 1:
        text = text[1:-1]   # a quotation already: quoted once, not twice
    return f"{verb} {entry.id} — “{excerpt(text)}”:"


def order_label(entry) -> str:
    """What an ordering option says: the entry's id and its text (cut when long), not a bare id."""
    return f"{entry.id} — {excerpt(entry.text, ORDER_EXCERPT_CHARS)}"


def _radio(item, w, full, base):
    """One radio button per option."""
    radio = _make(w, w.RadioButtons, options=[(option_label(o), o.id) for o in item.options], value=None,
                  description="Your answer:", wide=True, layout=full)
    return [radio], lambda: radio.value


def _checkboxes(item, w, full, base):
    """One checkbox per option."""
    boxes = [_make(w, w.Checkbox, value=False, description=option_label(o), indent=False, layout=full)
             for o in item.options]
    return boxes, lambda: [o.id for o, b in zip(item.options, boxes) if b.value]


def _entry_dropdowns(item, w, full, base):
    """Each entry's text, then a drop-down of the categories (classify) or targets (match)."""
    verb = "Sort" if item.kind == "classify" else "Match"
    rows, drops = [], []
    for n, e in enumerate(item.entries, 1):
        drop = _make(w, w.Dropdown, options=[("— choose —", None)] + [(c.text, c.id) for c in item.choices],
                     value=None, description=entry_label(e, verb), tooltip=e.text, wide=True, layout=full,
                     classes=[f"course-named-by-{base}-e{n}"])  # named by its sentence too (see KEYBOARD_JS)
        rows += [_make(w, w.HTML, f'<p id="{base}-e{n}"><strong>{html.escape(e.id)}</strong> '
                       f'{html.escape(e.text)}</p>'), drop]
        drops.append(drop)
    return rows, lambda: {e.id: d.value for e, d in zip(item.entries, drops) if d.value is not None}


def _position_dropdowns(item, w, full, base):
    """The entries listed by id, then one drop-down per position."""
    listing = sorted(item.entries, key=lambda e: e.id)
    rows = [_make(w, w.HTML, "<p>" + "<br>".join(f"<strong>{html.escape(e.id)}</strong> {html.escape(e.text)}"
                                                 for e in listing) + "</p>")]
    drops = [_make(w, w.Dropdown, options=[("— choose —", None)] + [(order_label(e), e.id) for e in listing],
                   value=None, description=f"Position {n}:", wide=True, layout=full)
             for n in range(1, len(listing) + 1)]
    return rows + drops, lambda: [d.value for d in drops]


def _number_box(item, w, full, base):
    """A text box for the number (typed as the student likes: 0.25, 25%, 1/4)."""
    box = _make(w, w.Text, description=f"Your number{' (' + item.unit + ')' if item.unit else ''}:",
                placeholder="a number, like 0.25; Enter checks it", wide=True)
    return [box], lambda: box.value


def _code_note(item, w, full, base):
    """A sentence: the function is written in a code cell; Check takes it from the notebook."""
    name = html.escape(item.signature or item.function)
    note = _make(w, w.HTML, (f"<p>The cell below gives <code>{name}</code> whole: run it" if item.worked else
                             f"<p>Write <code>{name}</code> in a code cell and run it")
                 + ", then click Check: it tests the function of that name in this notebook.</p>")
    return [note], lambda: _user_function(item)


def _text_area(item, w, full, base):
    """A text area for the student's paragraph."""
    area = _make(w, w.Textarea, description="Your text:", rows=6, wide=True, layout=_styles(w)["text_area"])
    return [area], lambda: area.value


def _restore_value(item, controls, value) -> None:
    controls[-1].value = value


def _restore_number(item, controls, value) -> None:
    controls[-1].value = str(value)


def _restore_ticks(item, controls, value) -> None:
    if isinstance(value, list):
        for o, box in zip(item.options, controls):
            box.value = o.id in value


def _restore_entries(item, controls, value) -> None:
    if isinstance(value, dict):
        for e, drop in zip(item.entries, controls[1::2]):
            if value.get(e.id) in [c.id for c in item.choices]:
                drop.value = value[e.id]


def _restore_positions(item, controls, value) -> None:
    if isinstance(value, list):
        for drop, v in zip(controls[1:], value):
            if v in [e.id for e in item.entries]:
                drop.value = v


def _restore_path(item, controls, value) -> None:
    if isinstance(value, list):
        controls[0]._course_restore([v for v in value if isinstance(v, str)])


def _restore_nothing(item, controls, value) -> None:
    """A code item's function is not saved, only its name: nothing to put back."""


@dataclass(frozen=True)
class KindControls:
    """How a notebook draws one exercise kind. A new kind is one entry in CONTROLS, one in
    `checking.checks.RULES` (its checker and its words) and one in `case.items.SHAPES`."""

    build: Callable     # (item, w, full layout, id base) -> (controls, a function reading the answer from them)
    restore: Callable   # (item, controls, saved answer) -> None: puts a saved answer back
    check_label: str = "Check"      # what the Check button says
    check_layout: str | None = None  # a shared layout the Check button needs (see _styles), if any
    enter_checks: bool = False      # whether Enter in the last control checks the answer


#: Every exercise kind's controls, by kind.
CONTROLS: dict[str, KindControls] = {
    "single": KindControls(_radio, _restore_value),
    "multiple": KindControls(_checkboxes, _restore_ticks),
    "classify": KindControls(_entry_dropdowns, _restore_entries),
    "match": KindControls(_entry_dropdowns, _restore_entries),
    "order": KindControls(_position_dropdowns, _restore_positions),
    "numeric": KindControls(_number_box, _restore_number, enter_checks=True),
    "code": KindControls(_code_note, _restore_nothing),
    "text": KindControls(_text_area, _restore_value),
    "search": KindControls(_search_controls, _restore_path, check_label=STOP_LABEL, check_layout="stop"),
}


def _restore(item, controls, last) -> None:
    """Put the last recorded answer back into the controls (best effort: never raises)."""
    try:
        CONTROLS[item.kind].restore(item, controls, last.answer)
    except Exception:
        pass


def codes_offered(item_id):
    """The codes a coding item offers (its categories), each with its label and Goldstein weight from the
    case's pinned table, as a text table (lesson 04a); an item the current case lacks gives the
    placeholder naming it instead."""
    from course_lib.analysis import tables
    item = session.find(item_id)
    if isinstance(item, Note):
        return item
    case = current_case()
    return tables.text_table(["code", "label", "Goldstein"],
                             [(c.id, case.codebook[c.id].label, case.codebook[c.id].goldstein) for c in item.categories],
                             "The codes offered in the coding exercises, with their weights from the pinned table")


# ---- the sensitivity lab of lesson 04b ------------------------------------------------------------

def _disputed(case) -> tuple[str, ...]:
    """The case's most disputed events, whose codes the lab lets a student change (lessons.toml, lesson
    04b: disputed_events); none when the case names none."""
    return tuple(case.lesson_data("04b").get("disputed_events", ()))


def sensitivity_lab(evts, window_days=DEFAULTS.window_days, min_jump=DEFAULTS.min_jump, neutral=DEFAULTS.neutral,
                    codes=None, case=None):
    """The reversals found among `evts` with these settings, coordination then consistency, as a
    text table; `codes` (event id -> CAMEO code) recodes some events first, and the case's disputed
    events (lesson 04b's disputed_events) not given keep their reference code, named in the caption.
    Settings or codes the library refuses give a one-row table saying why, never a traceback."""
    from course_lib.analysis import coordination
    from course_lib.analysis import tables
    case = case or current_case()
    try:
        evts, given = tuple(evts), dict(codes or {})
        shown = {e.id: e for e in evts}
        codes = {key: given.pop(key, shown[key].cameo) for key in _disputed(case) if key in shown} | given
        recoded = coordination.recode(evts, codes, case)
        rows = [("consistency" if same else "coordination", f"{p.first.id} → {p.second.id}",
                 f"{p.first.actor} → {p.second.actor}", p.first.target,
                 f"{p.first.goldstein:+.1f} → {p.second.goldstein:+.1f}", str(p.lag))
                for same in (False, True)
                for p in coordination.reversals(recoded, window_days, min_jump, neutral, same_actor=same)]
    except (TypeError, ValueError) as problem:
        return tables.text_table(["problem"], [(str(problem),)], "These settings could not be used")
    coded = ", ".join(f"{key} coded {code}" for key, code in codes.items())
    return tables.text_table(
        ["version", "events", "actors", "target", "weights", "lag"], rows,
        f"Reversals with a {window_days}-day window, minimum jump {min_jump:g}, neutral band {neutral:g}"
        + (f"; {coded}" if coded else ""))


def _code_options(case, event_id):
    """The reference code and the accepted alternatives of an event, labelled with their weights."""
    e = case.events[event_id]
    return [(f"{c} {case.codebook[c].label} ({case.codebook[c].goldstein:+.1f})", c)
            for c in (e.cameo,) + e.alternatives]


def sensitivity_panel(evts, disputed=None, case=None) -> None:
    """Display the sensitivity lab: drop-down lists for the window, the minimum jump, the neutral
    band and a code for each disputed event (by default the case's lesson 04b disputed_events), over
    a table that redraws on every change. A case that names no disputed events gets the settings
    alone and a sentence saying what to add.

    Drop-down lists rather than sliders: a native <select> is named by its label for a screen
    reader and works with the arrow keys. The output's text twin says what the panel does and
    holds the table at the default settings; `sensitivity_lab(...)` is the plain-call alternative.
    """
    import ipywidgets as w
    from IPython.display import display
    from course_lib.case.records import MissingLessonData
    case = case or current_case()
    if disputed is None:
        try:
            disputed = tuple(case.lesson_data("04b")["disputed_events"])
        except MissingLessonData as missing:
            print(f"[Placeholder] {missing}")
            disputed = ()
    wide = {"description_width": "initial"}
    controls = {
        "window_days": w.Dropdown(options=DEFAULTS.windows, value=DEFAULTS.window_days, description="Window (days)",
                                  style=wide),
        "min_jump": w.Dropdown(options=[x / 2 for x in range(2, 17)], value=DEFAULTS.min_jump, description="Minimum jump",
                               style=wide),
        "neutral": w.Dropdown(options=[x / 4 for x in range(0, 13)], value=DEFAULTS.neutral, description="Neutral band",
                              style=wide),
        **{key: w.Dropdown(options=_code_options(case, key), value=case.events[key].cameo,
                           description=f"Code of {key}", style=wide, layout=w.Layout(width="auto"))
           for key in disputed},
    }
    table_view = w.Output()

    def table(values):
        settings = {k: values[k] for k in ("window_days", "min_jump", "neutral")}
        return sensitivity_lab(evts, **settings, codes={k: values[k] for k in disputed}, case=case)

    def redraw(_change=None):
        table_view.outputs = ()
        table_view.append_display_data(table({name: c.value for name, c in controls.items()}))

    for control in controls.values():
        control.observe(redraw, names="value")
    redraw()
    defaults = {name: c.value for name, c in controls.items()}
    text = ("Sensitivity lab: choices for the window, the minimum jump and the neutral band, and a "
            f"code for {', '.join(disputed)}; the same as lab(...). With the default settings:\n\n"
            + str(table(defaults)))
    display(view_bundle(w.VBox([*controls.values(), table_view]), text), raw=True)


def sensitivity_grid(evts, windows=DEFAULTS.windows, min_jumps=DEFAULTS.min_jumps, neutrals=DEFAULTS.neutrals,
                     case=None):
    """Which reversals survive every setting of the grid and every accepted code of both events, as a
    text table (coordination, then consistency): `coordination.sensitivity` read row by row."""
    from course_lib.analysis import coordination
    from course_lib.analysis import tables
    rows = []
    for same in (False, True):
        grid = coordination.sensitivity(evts, windows=windows, min_jumps=min_jumps, neutrals=neutrals,
                                        same_actor=same, case=case)
        for f in grid.findings:
            rows.append(("consistency" if same else "coordination", f"{f.first.id} → {f.second.id}",
                         f"{f.first.actor} → {f.second.actor}", f"{f.first.date} → {f.second.date}",
                         ", ".join(f"{x:g}" for x in f.windows),
                         f"{len(f.found_in)} of {f.settings}", f"{len(f.robust_to_codes_in)} of {f.settings}",
                         "yes" if f.survives_every_setting else "no"))
    return tables.text_table(
        ["version", "events", "actors", "dates", "windows found", "settings (reference codes)",
         "settings (every accepted code)", "every setting and code"], rows,
        f"Which reversals survive every setting: {len(windows)} windows x {len(min_jumps)} minimum jumps x "
        f"{len(neutrals)} neutral bands, and every accepted code of both events")


def _in_ipython() -> bool:
    """Whether an IPython shell (a kernel or a terminal) is running, so display() can show a bundle."""
    try:
        from IPython.core.interactiveshell import InteractiveShell
    except ImportError:
        return False
    return InteractiveShell.initialized()


def _user_function(item):
    """The student's function of the item's name, from the notebook's namespace."""
    try:
        from IPython import get_ipython
        shell = get_ipython()
        return shell.user_ns.get(item.function) if shell is not None else None
    except Exception:
        return None
