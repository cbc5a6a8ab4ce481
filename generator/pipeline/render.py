"""RENDER: pages -> HTML, through Jinja2 with autoescape and StrictUndefined.

Templates are compiled up front, so every syntax error of every template is
reported in one run. Each page is rendered on its own: its Markdown parsed,
its figures filled in, its template applied. A failure is traced back to the
template line that raised it and kept with the page, and rendering goes on,
so all of a build's errors are reported together.

Many pages are rendered on every core: forked workers inherit the renderer
(templates compiled, catalog loaded) and send back each page's HTML in page
order, so the output does not depend on how the work was shared.
"""

from __future__ import annotations

import multiprocessing
import os
import re
import traceback
from dataclasses import dataclass
from typing import Iterator

import jinja2
import jinja2.runtime
from markupsafe import Markup

from .content import FIGURE_MARK, Body, Page, render_body
from .context import template_globals
from ..engine import display
from ..errors import BuildError, SourceError, fail_if
from .site import Site
from .sources import Sources, page_text

FIGURE = re.compile(re.escape(FIGURE_MARK).replace(r"\{\}", r"([a-z0-9-]*)"))
PARALLEL_FROM = 100  # pages; below this a pool costs more than it saves


class RecordingContext(jinja2.runtime.Context):
    """Notes every name a template looks up, into its environment's ``reads``."""

    def resolve_or_missing(self, key: str):
        reads = self.environment.reads
        if reads is not None:
            reads.add(key)
        return super().resolve_or_missing(key)


class RecordingEnvironment(jinja2.Environment):
    """Notes every template a render loads (as ``template:NAME``), so a
    rebuild knows from what each page read which pages a change touches."""

    context_class = RecordingContext
    reads: set | None = None

    def _load_template(self, name, globals):
        # every load passes here: by name, from a list (select_template), by
        # include, import and extends, and names tried and not found as well
        if self.reads is not None:
            self.reads.add(f"template:{name}")
        return super()._load_template(name, globals)


def make_environment(templates: dict[str, str]) -> jinja2.Environment:
    """An environment over in-memory templates; raises BuildError on syntax errors."""
    env = RecordingEnvironment(
        loader=jinja2.FunctionLoader(lambda name: _source(templates, name)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(money=display.money, money_range=display.money_range, count=display.count,
                       share=display.share, rate=display.rate, seconds=display.seconds, plain=lambda value: format(value, "g"))
    env.tests["contains"] = lambda collection, item: item in collection
    errors = []
    for name in sorted(templates):
        try:
            env.get_template(name)
        except jinja2.TemplateSyntaxError as error:
            errors.append(SourceError(f"templates/{error.name or name}", error.lineno, error.message or "syntax error"))
    fail_if(errors)
    return env


def _source(templates: dict[str, str], name: str):
    if name not in templates:
        return None
    return templates[name], f"templates/{name}", lambda: True


@dataclass(frozen=True)
class Rendered:
    """One page's output, and what a rebuild and the link check need of it."""

    output: str
    html: bytes | None  # None when rendering failed
    assets: frozenset = frozenset()  # asset names the page used
    reads: frozenset = frozenset()  # template names looked up, and "template:NAME" for each template loaded
    links: tuple = ()  # (target, fragment, line) of its Markdown's root-relative links
    errors: tuple = ()  # SourceErrors


class Renderer:
    """Renders one page at a time against a fixed site, templates and assets."""

    def __init__(self, env: jinja2.Environment, site: Site, assets: dict[str, str], sources: Sources):
        self.env, self.site, self.assets, self.sources = env, site, assets, sources
        self.common = template_globals(site)

    def render(self, page: Page) -> Rendered:
        used: set[str] = set()
        self.env.reads = reads = set()
        try:
            body = self._body(page)
            unknown = [SourceError(page.source, line, f"unknown figure {name!r} (known: {', '.join(self._figures())})")
                       for name, line in body.figures if f"figures/{name}.html" not in self.sources.templates]
            if unknown:
                return Rendered(page.output, None, errors=tuple(unknown))
            html = self._apply(page, body, used)
        except BuildError as error:
            return Rendered(page.output, None, errors=tuple(error.errors))
        except Exception as error:  # a template, filter or figure at fault: name its line, keep going
            return Rendered(page.output, None, errors=(_located(error, page),))
        finally:
            self.env.reads = None
        return Rendered(page.output, html.encode("utf-8"), frozenset(used), frozenset(reads), body.links)

    def _body(self, page: Page) -> Body:
        if page.source in self.sources.content:
            return render_body(page, page_text(self.sources, page.source), self.site.base_url)
        return Body("")

    def _apply(self, page: Page, body: Body, used: set) -> str:
        base, assets = self.site.base_url, self.assets

        def asset(name: str) -> str:
            """The hashed URL of a bundled file: asset("assets/site.css") -> /assets/site.1a2b3c4d5e.css"""
            used.add(name)
            return base + assets[name]

        context = {**self.common, "page": page, "asset": asset, "headings": body.headings}
        context["body"] = Markup(FIGURE.sub(
            lambda m: self.env.get_template(f"figures/{m.group(1)}.html").render(context), body.html))
        return self.env.get_template(page.template).render(context)

    def _figures(self) -> list[str]:
        return sorted(t[len("figures/"):-len(".html")] for t in self.sources.templates if t.startswith("figures/"))


def render_pages(renderer: Renderer, pages: list[Page]) -> Iterator[Rendered]:
    """Every page's Rendered, in page order, on every core when pages are many."""
    workers = min(os.cpu_count() or 1, len(pages) // PARALLEL_FROM)
    if workers < 2:
        yield from map(renderer.render, pages)
        return
    with multiprocessing.get_context("fork").Pool(workers, _adopt, (renderer, pages)) as pool:
        yield from pool.imap(_render_one, range(len(pages)), chunksize=16)


_WORK: tuple = ()  # a pool worker's renderer and pages, inherited through fork, never pickled


def _adopt(renderer: Renderer, pages: list[Page]) -> None:
    global _WORK
    _WORK = (renderer, pages)


def _render_one(index: int) -> Rendered:
    renderer, pages = _WORK
    return renderer.render(pages[index])


def render_errors(failed: dict[SourceError, list[str]]) -> list[SourceError]:
    """One template mistake breaks many pages: each error once, naming a page and how many more."""
    found = []
    for error, sources in failed.items():
        more = f" and {len(sources) - 1} more" if len(sources) > 1 else ""
        found.append(SourceError(error.path, error.line, f"{error.message} (rendering {sources[0]}{more})"))
    return found


def _located(error: Exception, page: Page) -> SourceError:
    """The innermost template line in the traceback, which Jinja2 rewrites to
    point at template files rather than at its compiled code."""
    where = [frame for frame in traceback.extract_tb(error.__traceback__) if frame.filename.startswith("templates/")]
    if isinstance(error, jinja2.TemplateError):
        message = str(error.message or error)
    else:
        message = f"{type(error).__name__}: {error}"
    if where:
        return SourceError(where[-1].filename, where[-1].lineno, message)
    return SourceError(page.source, None, message)
