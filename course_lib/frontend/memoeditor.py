"""The memo as a student writes it: one labelled text area per section and a citation picker for the
evidence, for `course_lib.frontend.memo.editor`.

Each text area holds its section as `memo.set_text` reads it (a sentence ends with its label, [fact],
[inference] or [opinion]; [@id] cites a card, claim, event, statement or result). What is typed goes
into the memo as it is typed, and is saved with the student's work a moment after the typing stops
(not at every keystroke: `SAVE_DELAY`), through the memo's own save path (progress: atomic, with a
backup). The picker adds a citation to one evidence sentence and saves at once. Typed calls
(`memo.write`, `memo.set_text`, ...) edit the same memo; the text areas show their changes. A text area
is rewritten only when the memo changed from elsewhere, never under the student's cursor for what they
typed themselves. The view reuses the exercises' page helper (widgets.KEYBOARD_JS): keys stay in the
editor, the frame is a group named by its heading, the status line is one polite live region.
"""

from __future__ import annotations

import html
import time
import uuid

from course_lib.frontend import memo as memos

SAVE_DELAY = 0.8  # seconds of stillness after the last keystroke before the memo is saved
KIND_NAMES = {"cards": "Source cards", "claims": "Claims of the article", "events": "Events (lesson 04a)",
              "statements": "Statements (lesson 05a)", "results": "Your results"}
HELP = ("Write one sentence a line and end each with its label: [fact], [inference] or [opinion]. "
        "Cite what a sentence rests on with [@id], or with the picker below the Evidence box. "
        "Your memo is saved with your work a moment after you stop typing.")


def as_text(memo) -> str:
    """The editor as plain text (where no widget renders): each section as typed, and the calls to use."""
    lines = ["Your memo, section by section. Type in the boxes, or use the plain call, for example",
             '  memo.set_text("claim", "My claim. [inference]")  or  memo.write("evidence", "...", "fact", cite="card-id")']
    for key, heading in memos.SECTIONS.items():
        lines += [f"{heading}:", *("  " + s.as_line() for s in memo.sections[key])] if memo.sections[key] else \
                 [f"{heading}: (empty)"]
    return "\n".join(lines)


class Editor:
    """The text areas, the picker and the status line of one memo (`view` is the widget to show)."""

    def __init__(self, memo, w, loop=None):
        from course_lib.frontend.widgets import _make, _styles
        self.memo, self.w, self.loop = memo, w, loop
        self._pending = None
        base = f"course-memo-{uuid.uuid4().hex[:8]}"
        area_layout = _styles(w)["text_area"]
        title = _make(w, w.HTML, f'<h3 class="course-exercise-title" id="{base}-title">Your memo</h3>'
                      f'<p class="course-exercise-prompt" id="{base}-help">{html.escape(HELP)}</p>')
        self.areas = {}
        for key, heading in memos.SECTIONS.items():
            area = _make(w, w.Textarea, value=memos.render_section(memo.sections[key]), description=f"{heading}:",
                         placeholder=f"{heading}: one sentence a line, each ending with [fact], [inference] or "
                                     "[opinion]", rows=4 if key == "claim" else 7, continuous_update=True,
                         wide=True, layout=area_layout)
            area.add_class(f"course-memo-{key}")
            area.observe(lambda change, key=key: self._typed(key, change["new"]), names="value")
            self.areas[key] = area
        full = _styles(w)["full"]
        self.kind = _make(w, w.Dropdown, options=[(v, k) for k, v in KIND_NAMES.items()], value="cards",
                          description="Cite from:", wide=True)
        self.item = _make(w, w.Dropdown, options=[], description="Citation:", wide=True, layout=full)
        self.sentence = _make(w, w.Dropdown, options=[], description="In evidence sentence:", wide=True, layout=full)
        self.add = _make(w, w.Button, description="Add citation", button_style="primary",
                         tooltip="Add the chosen citation to the chosen evidence sentence")
        for control, name in ((self.kind, "kind"), (self.item, "item"), (self.sentence, "sentence"), (self.add, "add")):
            control.add_class(f"course-memo-cite-{name}")
        self.kind.observe(lambda _change: self._refresh_picker(), names="value")
        self.add.on_click(self._guarded(self._cite))
        self.status = _make(w, w.HTML, "<p>Nothing typed yet in this view.</p>", layout=_styles(w)["feedback"])
        self.status.add_class("course-feedback-area")
        picker = _make(w, w.HTML, f'<h4 id="{base}-picker">Cite the evidence</h4><p>Choose what a sentence of '
                       "your Evidence rests on, the sentence, then Add citation. Quotations in a sentence are "
                       "checked against the card it cites.</p>")
        self._refresh_picker()
        self.view = _make(w, w.VBox, [title, *self.areas.values(), picker, self.kind, self.item, self.sentence,
                                      self.add, self.status], layout=_styles(w)["frame"])
        self.view.add_class("course-exercise")
        self.view.add_class("course-memo-editor")
        memo._listeners.append(self.refresh)

    # ---- what the student does ----------------------------------------------------------------

    def _typed(self, key: str, text: str) -> None:
        """A text area changed: the memo follows at once; the save waits until typing stops."""
        try:
            sentences = memos.parse_section(text)
            if sentences == self.memo.sections[key]:
                return
            self.memo.sections[key] = sentences
            self._schedule(key)
        except Exception as exc:  # feedback, never a traceback lost in the browser's log
            self._say(f"Something went wrong ({type(exc).__name__}); your text is still in the box. "
                      f'Use the plain call instead: memo.set_text("{key}", """...""").')

    def _schedule(self, key: str) -> None:
        if self._pending is not None:
            self._pending.cancel()
            self._pending = None
        if self.loop is None:  # no kernel loop (a plain test): save at once
            self.save(key)
            return
        self._pending = self.loop.call_later(SAVE_DELAY, lambda: self.save(key))

    def save(self, key: str | None = None) -> None:
        """Save the memo now, and say so (with what still needs doing in the section)."""
        self._pending = None
        try:
            notices = self.memo._store()
        except Exception as exc:
            self._say(f"Your memo could not be saved ({type(exc).__name__}); keep this tab open and use "
                      "save_my_work() to download your work.")
            return
        if key == "evidence":  # the picker lists the evidence sentences as they are now
            self._refresh_picker()
        said = f"Saved at {time.strftime('%H:%M:%S')}: your memo has {self.memo.words()} words."
        if key is not None:
            sentences = self.memo.sections[key]
            said += (f" {memos.SECTIONS[key]}: {memos._count(sentences)}.{memos._unlabelled(sentences)}"
                     f"{self.memo._unknown(c for s in sentences for c in s.cites)}")
        self._say(" ".join([said, *notices]))

    def _cite(self) -> None:
        ident, number = self.item.value, self.sentence.value
        evidence = self.memo.sections["evidence"]
        if ident is None or number is None or not 1 <= number <= len(evidence):
            self._say("Write an evidence sentence first, then choose it and what it rests on." if not evidence
                      else "Choose what to cite and the evidence sentence it supports.")
            return
        old = evidence[number - 1]
        if ident in old.cites:
            self._say(f"Evidence sentence {number} already cites {ident}.")
            return
        evidence[number - 1] = memos.Sentence(old.text, old.label, old.cites + (ident,))
        self.areas["evidence"].value = memos.render_section(evidence)
        if self._pending is not None:
            self._pending.cancel()
            self._pending = None
        notices = self.memo._store()
        self._say(" ".join([f"Evidence sentence {number} now cites "
                            f"{ident}: {memos._reference(self.memo.case, ident, self.memo).rstrip('.')}. Saved at "
                            f"{time.strftime('%H:%M:%S')}.", *notices]))

    # ---- what the memo tells the view ----------------------------------------------------------

    def refresh(self) -> None:
        """The memo changed (a typed call, the picker): show it, leaving a box whose text means the same."""
        for key, area in self.areas.items():
            if memos.parse_section(area.value) != self.memo.sections[key]:
                area.value = memos.render_section(self.memo.sections[key])
        self._refresh_picker()

    def _refresh_picker(self) -> None:
        citable = self.memo.citable()[self.kind.value]
        options = citable or [("(none yet: record a result with memo.add_result)" if self.kind.value == "results"
                               else "(none in this case)", None)]
        if list(self.item.options) != options:
            keep = self.item.value
            self.item.options = options
            self.item.value = keep if keep in [v for _, v in options] else options[0][1]
        evidence = self.memo.sections["evidence"]
        sentences = [(f"{n}: {memos._short(s.text) or '(citations only)'}", n) for n, s in enumerate(evidence, 1)] \
            or [("(write an evidence sentence first)", None)]
        if list(self.sentence.options) != sentences:
            keep = self.sentence.value
            self.sentence.options = sentences
            self.sentence.value = keep if keep in [v for _, v in sentences] else sentences[-1][1]
        self.add.disabled = self.item.value is None or self.sentence.value is None

    def _say(self, sentence: str) -> None:
        self.status.value = f"<p>{html.escape(sentence)}</p>"

    def _guarded(self, action):
        def run(_button):
            try:
                action()
            except Exception as exc:
                self._say(f"Something went wrong ({type(exc).__name__}); use the plain call instead: "
                          'memo.write("evidence", "...", "fact", cite="card-id").')
        return run


def show(memo) -> None:
    """Display the editor of `memo` (as text where no widgets render)."""
    from course_lib.frontend.widgets import PAGE_JS, _in_ipython, _kernel_loop, view_bundle
    if not _in_ipython():
        print(as_text(memo))
        return
    from IPython.display import display
    try:
        import ipywidgets as w
    except ImportError:
        print(as_text(memo))
        return
    editor = Editor(memo, w, _kernel_loop())
    display({"application/javascript": PAGE_JS}, raw=True)
    display(view_bundle(editor.view, as_text(memo)), raw=True)
