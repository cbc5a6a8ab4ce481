"""PARSE content/**/*.md: front matter -> Page; Markdown -> Body.

The two halves are apart on purpose. Every page's front matter is read up
front, because navigation and URLs need all of them; a page's Markdown is
parsed only when that page is rendered, so a big site streams through the
render stage instead of holding every page's HTML at once.

Markdown is CommonMark with tables, footnotes and heading ids, raw HTML off
unless a page sets ``raw_html: true``. Root-relative links (``/costs/``) are
rewritten under the base URL, so the same content works served from ``/`` or
from a sub-path. A ``::: figures NAME`` block marks where the render stage
puts a table computed from the data; the marker is an HTML comment, which
Markdown authors cannot write while raw HTML is off. A ``::: summary`` block
is a page's bottom line, set apart at the top: its last paragraph's links
are the ways in, drawn as buttons.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from mdit_py_plugins.anchors import anchors_plugin
from mdit_py_plugins.container import container_plugin
from mdit_py_plugins.footnote import footnote_plugin

from . import marked
from ..engine import fields as f
from ..engine.fields import Record
from ..engine.problems import Problem, dotted
from ..errors import BuildError, SourceError, fail_if
from .sources import Sources, page_text

FIGURE_MARK = "<!--ftsite:figure {}-->"
FIGURE_NAME = re.compile(r"[a-z0-9-]+")
MAX_NESTING = 50  # markdown-it's levels (a list level takes two); past it, it drops the rest silently
FRONT = re.compile(r"\A---[ \t]*\n(.*?)^---[ \t]*$\n?", re.S | re.M)


@dataclass(frozen=True)
class Page:
    """What the site knows of a page before rendering it."""

    source: str  # the file it came from, for messages ("content/a.md", or "data: models[0] ...")
    url: str  # site-relative: "" for the home page, "decide/", "404.html"
    title: str
    description: str
    template: str
    nav: str = ""  # the short title navigation shows; the title when empty
    order: int = 100
    draft: bool = False
    raw_html: bool = False
    body_line: int = 1  # the line of the file where the Markdown starts
    record: object = None  # the model or provider a generated page is about

    @property
    def output(self) -> str:
        """The file the page is written to, inside the output folder."""
        return self.url + "index.html" if self.url == "" or self.url.endswith("/") else self.url


@dataclass(frozen=True)
class Heading:
    level: int
    text: str
    id: str


@dataclass(frozen=True)
class Body:
    """A page's Markdown, rendered."""

    html: str  # with figure markers
    headings: tuple = ()
    links: tuple = ()  # (site-relative target, fragment, line) of every root-relative link
    figures: tuple = ()  # (name, line)


def url_for(source: str) -> str:
    """content/index.md -> "", content/a/b.md -> "a/b/", content/404.md -> "404.html"."""
    stem = posixpath.splitext(source.removeprefix("content/"))[0]
    if stem == "404":
        return "404.html"
    if stem == "index" or stem.endswith("/index"):
        return stem[: -len("index")]
    return stem + "/"


def read_pages(sources: Sources) -> list[Page]:
    """The front matter of every Markdown file, in path order; raises
    BuildError with the problems of all files together."""
    pages, errors = [], []
    for name in sorted(sources.content):
        try:
            pages.append(read_page(name, page_text(sources, name)))
        except BuildError as error:
            errors.extend(error.errors)
    fail_if(errors)
    return pages


def read_page(source: str, text: str) -> Page:
    """One file's front matter -> Page; raises BuildError naming file and line."""
    match = FRONT.match(text)
    if not match:
        raise BuildError([SourceError(source, 1, "must start with front matter: a '---' line, "
                                                 "YAML (title, description...), and a closing '---' line")])
    try:
        meta, lines = marked.load(match.group(1), source, first_line=2)
    except marked.YamlError as error:
        raise BuildError([error.error]) from None
    problems: list[Problem] = []
    record = Record(meta, (), problems)
    page = Page(
        source=source,
        url=url_for(source),
        title=record.read("title", f.text, default=""),
        description=record.read("description", f.text, default=""),
        nav=record.read("nav", f.text, required=False, default=""),
        order=record.read("order", f.whole, -10_000, 10_000, required=False, default=100),
        template=record.read("template", f.text, required=False, default="page.html"),
        draft=record.read("draft", f.flag, required=False, default=False),
        raw_html=record.read("raw_html", f.flag, required=False, default=False),
        body_line=text[: match.end()].count("\n") + 1,
    )
    record.finish()
    if problems:
        raise BuildError([SourceError(source, lines.line(p.path, p.at_key) or 1, f"{dotted(p.path)}: {p.message}")
                          for p in problems])
    return page


def markdown_of(text: str) -> str:
    """A page file's Markdown: what follows its front matter."""
    match = FRONT.match(text)
    return text[match.end():] if match else text


def render_body(page: Page, text: str, base_url: str) -> Body:
    """The page file's Markdown -> Body (HTML, headings, internal links, figures)."""
    md = _markdown(page.raw_html)
    env: dict = {}
    tokens = md.parse(markdown_of(text), env)
    headings, links, figures = [], [], []
    line = page.body_line
    for index, token in enumerate(tokens):
        if token.map:
            line = token.map[0] + page.body_line
        if max([token.level] + [child.level for child in token.children or ()]) >= MAX_NESTING - 1:
            raise BuildError([SourceError(page.source, line, f"lists, quotes or emphasis nested deeper than "
                                                             f"{MAX_NESTING} levels: Markdown stops reading there")])
        if token.type == "heading_open":
            headings.append(Heading(int(token.tag[1]), tokens[index + 1].content, token.attrGet("id") or ""))
        elif token.type == "container_figures_open":
            figures.append((_figure_name(token.info), line))
        for child in token.children or ():
            if child.type in ("link_open", "image"):
                _rebase(child, "href" if child.type == "link_open" else "src", base_url, line, links)
    return Body(md.renderer.render(tokens, md.options, env), tuple(headings), tuple(links), tuple(figures))


def _rebase(token, attr: str, base_url: str, line: int, links: list) -> None:
    """/costs/#x -> {base_url}costs/#x, noting (costs/, x, line) for the link check."""
    target = token.attrGet(attr)
    if not isinstance(target, str) or not target.startswith("/") or target.startswith("//"):
        return
    path, _, fragment = target[1:].partition("#")
    path = path.split("?")[0]
    links.append((path, fragment, line))
    token.attrSet(attr, base_url + target[1:])


@lru_cache(maxsize=2)
def _markdown(raw_html: bool) -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": raw_html, "maxNesting": MAX_NESTING}).enable("table")
    anchors_plugin(md, min_level=2, max_level=3)
    footnote_plugin(md)
    container_plugin(md, "figures", render=_render_figure)
    container_plugin(md, "summary", render=_render_summary)
    md.add_render_rule("table_open", _table_open)
    md.add_render_rule("table_close", lambda self, tokens, index, options, env: "</table>\n</div>\n")
    return md


def _table_open(renderer, tokens, index, options, env) -> str:
    """A table scrolls inside a focusable region named by its header row, so a
    phone scrolls the table and never the page."""
    header = []
    for token in tokens[index + 1:]:
        if token.type == "thead_close":
            break
        if token.type == "inline":  # the cell's words, without its Markdown
            header.append("".join(child.content for child in token.children or () if child.type in ("text", "code_inline")))
    label = escapeHtml("Table: " + ", ".join(cell for cell in header if cell)) if header else "Table"
    return f'<div class="table-scroll" role="region" tabindex="0" aria-label="{label}">\n<table>\n'


def _render_summary(renderer, tokens, index, options, env) -> str:
    return '<section class="bottom-line" aria-label="The short answer">\n' if tokens[index].nesting == 1 else "</section>\n"


def _figure_name(info: str) -> str:
    parts = info.split()
    return parts[1] if len(parts) > 1 else ""


def _render_figure(renderer, tokens, index, options, env) -> str:
    """The marker the render stage replaces. A name that is not a figure's
    (the render stage reports it) never reaches the HTML, even inside a comment."""
    token = tokens[index]
    name = _figure_name(token.info)
    return FIGURE_MARK.format(name if FIGURE_NAME.fullmatch(name) else "") + "\n" if token.nesting == 1 else ""
