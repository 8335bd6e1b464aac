"""Sphinx extension of the course website: under each lesson's title, links to the same lesson in
JupyterLite and on Binder (URLs from course_lite_url and course_binder_url in _config.yml)."""

from __future__ import annotations

from pathlib import PurePosixPath

from docutils import nodes


def _links(app, doctree) -> None:
    docname = app.env.docname
    if not docname.startswith("lessons/"):
        return
    name = PurePosixPath(docname).name + ".ipynb"
    section = doctree.next_node(nodes.section)
    if section is None:
        return
    para = nodes.paragraph(classes=["course-launch"])
    para += nodes.Text("Do this lesson's exercises: ")
    para += nodes.reference("", "open it in JupyterLite (in your browser)",
                            refuri=app.config.course_lite_url.format(name=name))
    para += nodes.Text(" or ")
    para += nodes.reference("", "open it on Binder", refuri=app.config.course_binder_url.format(name=name))
    para += nodes.Text(".")
    title = section.next_node(nodes.title)
    section.insert(section.index(title) + 1 if title is not None else 0, para)


def setup(app):
    app.add_config_value("course_lite_url", "", "html")
    app.add_config_value("course_binder_url", "", "html")
    app.connect("doctree-read", _links)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
