"""Downloads that carry the work as it is at the moment of the click, not when the cell ran.

A link built when a cell runs is stale as soon as the student answers one more exercise (lesson 00
says "Run All" first, so it is always stale). In a kernel with ipywidgets the view is therefore a
button: each click builds the files from the live work (progress.json, the memo object) and writes
them beside the work, then puts fresh links in place and, where the page helper runs (JupyterLab,
Notebook 7; see widgets.KEYBOARD_JS), starts the download at once. Where no kernel answers (static
HTML, nbconvert), the view is the HTML fallback: links to the data as it was when the cell ran,
which is all the work a static page has, and a link to the live work file when it sits under the
notebook's folder (JupyterLab resolves it through the server's /files/ route at click time).
"""

from __future__ import annotations

import base64
import html
import os
import time
import uuid
from pathlib import Path
from typing import Callable

#: One file to offer: (name, bytes, MIME type).
File = tuple[str, bytes, str]


def download_link(name: str, href: str, label: str) -> str:
    """One `<li><a download>` link that saves `href` (a data: URI, or the path of a live file) as `name`."""
    return f'<li><a download="{html.escape(name)}" href="{html.escape(href)}">{html.escape(label)}</a></li>'


def data_links(files: list[File], suffix: str = "") -> str:
    """`<a download>` links holding each file's bytes (what a static page can offer)."""
    return "".join(download_link(name, f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}",
                                 f"Download {name}{suffix}")
                   for name, data, mime in files)


def live_href(path: Path | None) -> str | None:
    """A relative link from the kernel's folder to `path` when it is under it, else None (not yet
    escaped: download_link escapes it)."""
    if path is None:
        return None
    try:
        rel = Path(os.path.relpath(Path(path).resolve(), Path.cwd().resolve()))
    except (OSError, ValueError):
        return None
    if rel.parts and rel.parts[0] == "..":
        return None
    return "/".join(rel.parts)


def widget_bundle(intro: str, label: str, build: Callable[[], tuple[str, list[File]]], text: str) -> dict | None:
    """A widget view: `label` button that calls `build()` -> (sentence, files) on each click.

    None when there is no kernel or no ipywidgets, so the caller falls back to HTML."""
    try:
        from IPython.core.interactiveshell import InteractiveShell
        if not InteractiveShell.initialized():
            return None
        import ipywidgets as w
        from IPython.display import display

        from course_lib.frontend.widgets import PAGE_JS
    except ImportError:
        return None
    head = w.HTML(f"<p>{html.escape(intro)}</p>")
    button = w.Button(description=label, tooltip=f"{label}: builds the file from your work as it is now",
                      button_style="primary", layout=w.Layout(width="auto"))
    links = w.HTML("", _dom_classes=("course-download-links",))   # sent with the model: no update message

    def on_click(_button):
        try:
            sentence, files = build()
        except Exception as exc:  # never a silent failure: say what to do instead
            links.value = (f"<p role=\"alert\">The file could not be built ({html.escape(type(exc).__name__)}); "
                           "run the cell again and retry.</p>")
            return
        stamp = time.strftime("%H:%M:%S")
        links.value = (f'<p>{html.escape(sentence)} (built {stamp})</p>'
                       f'<ul class="course-download-now" data-nonce="{uuid.uuid4().hex}">{data_links(files)}</ul>')
    button.on_click(on_click)
    box = w.VBox([head, button, links], _dom_classes=("course-download",))
    display({"application/javascript": PAGE_JS}, raw=True)
    from course_lib.frontend.widgets import view_bundle
    return view_bundle(box, text)
