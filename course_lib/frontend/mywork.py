"""The student's two buttons for their work: save_my_work() downloads it, restore_my_work() brings it back.

Each is a plain call returning a sentence, shown in a notebook as a labelled control; the work itself is
kept by `work.progress` (one durable write per answer), and these only package it for the student.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path

from course_lib.work.fileformat import encode
from course_lib.work.note import Note
from course_lib.work.fileformat import atomic_write
from course_lib.work.progress import NO_FILE, count_of, store, unwritable_reason, work_dir

__all__ = ["SavedWork", "restore_my_work", "save_my_work"]


@dataclass(frozen=True, repr=False)
class SavedWork:
    """What save_my_work() returns: a plain sentence; in a kernel a button that builds the file from the
    work as it is at the click; in static HTML links to the work as it was when the cell ran."""
    text: str
    filename: str
    data: bytes
    path: Path | None
    folder: Path | None = None
    summary: str = ""   # the first sentence alone (what was saved where), for the button's report

    def __repr__(self) -> str:
        return self.text

    def _repr_html_(self) -> str:
        from course_lib.frontend.download import data_links, download_link, live_href
        live = live_href(self.folder / "progress.json" if self.folder is not None else None)
        live_link = (download_link(self.filename, live, f"Download my work as it is now ({self.filename})")
                     if live else "")
        return (f'<p>{html.escape(self.text)}</p>\n<ul>{live_link}'
                f'{data_links([(self.filename, self.data, "application/json")], " (as it was when this cell ran)")}'
                '</ul>')

    def _repr_mimebundle_(self, include=None, exclude=None):
        from course_lib.frontend.download import widget_bundle

        def build():
            fresh = save_my_work(self.folder)
            return fresh.summary, [(fresh.filename, fresh.data, "application/json")]
        return widget_bundle(self.text, "Download my work", build, self.text)


def save_my_work(folder=None) -> SavedWork:
    """Write my-work/my-work-<id>.json and return it with a download control (as plain text, a sentence).

    The file is stamped with the current case (its id and the digest of its exercise keys), so `collect`
    and `class-report` take it only for that case. Work on a case other than the bundled default one is
    kept in my-work/<case id>/ and saved as my-work-<id>-<case id>.json, so two downloads never share a name."""
    work = store(folder)
    doc = work.export()
    case = doc.get("case") or {}
    own_folder = folder is None and work.folder != work_dir().expanduser().resolve()
    suffix = f"-{work.folder.name}" if own_folder and case else ""
    filename, data = f"my-work-{doc['student']}{suffix}.json", encode(doc)
    counts = (f"{count_of(len(doc['records']), 'attempt')} at "
              f"{count_of(len({r['item'] for r in doc['records']}), 'exercise')}")
    try:
        work.folder.mkdir(parents=True, exist_ok=True)
        atomic_write(work.folder / filename, data)
        path, where = work.folder / filename, f", saved to {work.folder.name}/{filename}."
    except OSError as error:
        path, where = None, (f"; it could not be saved in {work.folder.name} ({unwritable_reason(work.folder, error)}), "
                             "so download it now.")
    summary = f"Your work: {counts}{where}"
    return SavedWork(f"{summary} In JupyterLab, click Download my work: it takes your work as it "
                     "is at that moment. Keep the file and restore it next time.", filename, data, path, work.folder,
                     summary)


def restore_my_work(path_or_upload=None, folder=None):
    """Restore saved work from a path or upload (returns the sentence); with no argument, labelled controls."""
    work = store(folder)

    def report(sentence: str) -> str:  # the restore sentence, then anything else the student should know
        sentence = " ".join([sentence, *work.notices])
        work.notices.clear()
        return sentence
    def restore(source) -> str:  # the sentence says which exercises to run again to see what came back
        before = {(a.item, a.id) for a in work.attempts()}
        sentence = work.restore(source)
        back = sorted({item for item, rid in {(a.item, a.id) for a in work.attempts()} - before})
        if back:
            shown = ", ".join(back[:8]) + (f" and {len(back) - 8} more" if len(back) > 8 else "")
            sentence += (f" To see the restored answers, run the cells of {shown} again (show(...) puts the last "
                         "answer back), or use Kernel › Restart Kernel and Run All Cells.")
        return sentence
    if path_or_upload is not None:
        return Note(report(restore(path_or_upload)))
    import ipywidgets as widgets
    intro = widgets.HTML("<p>To bring back work you downloaded earlier, upload the file, then press Restore.</p>")
    upload = widgets.FileUpload(accept=".json", multiple=False, description="Upload my work",
                                tooltip="Choose the my-work-anon-….json file you downloaded earlier")
    button = widgets.Button(description="Restore", tooltip="Restore my work from the uploaded file")
    output = widgets.Output()

    def on_click(_):
        output.outputs = ()
        output.append_stdout(report(restore(upload.value) if upload.value else NO_FILE) + "\n")
    button.on_click(on_click)
    from course_lib.frontend.widgets import TextTwin
    return TextTwin(widgets.VBox([intro, widgets.HBox([upload, button]), output]), _RESTORE_TEXT)


_RESTORE_TEXT = ("To bring back work you downloaded earlier: upload the file with the Upload my work control, "
                 "then press Restore; or run course_lib.restore_my_work(\"my-work-anon-….json\") with the "
                 "file's name after uploading it to the lesson folder.")
