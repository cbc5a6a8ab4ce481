"""build(): the stages in order; read it as the table of contents.

    load -> parse (data, front matter, templates) -> model -> bundle -> render -> write

Every stage raises BuildError with all of its problems. Pages stream from the
render stage into a staging folder, and nothing replaces the output folder
until every page has rendered and every link has been checked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import partial
from itertools import chain
from pathlib import Path
from typing import Iterator

from .bundle import engine_bundle, make_bundle
from .content import Page, read_pages
from .data import parse_data
from .errors import BuildError, SourceError, fail_if
from .render import Renderer, make_environment, render_errors, render_pages
from .runtime import load_runtime
from .site import assemble_site, broken_links
from .sources import Sources, read_sources
from .write import OutputLock, check_target, write_site


@dataclass(frozen=True)
class Report:
    pages: int
    files: int


def build(root: Path, out: Path, today: str, base_url: str = "/", pyodide_dir: Path | None = None) -> Report:
    """Builds the project at ``root`` into ``out`` as of ``today``; raises BuildError."""
    base_url = normalize_base_url(base_url)
    check_target(out, root)
    with OutputLock(out):
        sources = read_sources(root)
        data, pages, env = parse_all(sources, today)
        site = assemble_site(pages, sources, data, base_url)
        bundle = make_bundle(sources.files, data.plain, engine_bundle(load_runtime(pyodide_dir), data.plain),
                             base_url)
        renderer = Renderer(env, site, bundle.names, sources)
        files = write_site(chain(bundle.files, page_files(renderer, list(site.pages))), out)
    return Report(pages=len(site.pages), files=files)


def parse_all(sources: Sources, today: str) -> list:
    """Data, front matter and templates parse independently: one run reports
    the mistakes of all three."""
    errors: list[SourceError] = []
    parsed = []
    for parse, argument in ((partial(parse_data, today=today), sources.data), (read_pages, sources),
                            (make_environment, sources.templates)):
        try:
            parsed.append(parse(argument))
        except BuildError as error:
            errors += error.errors
    fail_if(errors)
    return parsed


def page_files(renderer: Renderer, pages: list[Page], notes: dict | None = None,
               others: dict | None = None) -> Iterator[tuple[str, bytes]]:
    """Each page's (output path, HTML) as it renders. Raises BuildError at the
    end, with every render error and broken link, before a swap can happen.
    Links are checked as pages stream past, so a big site never holds them
    all. ``notes`` receives each page's Rendered minus its HTML; ``others``
    holds the links of pages not rendered now, checked again at the end."""
    others = dict(others or {})
    failed: dict[SourceError, list[str]] = {}
    broken: list[SourceError] = []
    for page, rendered in zip(pages, render_pages(renderer, pages), strict=True):
        others.pop(page.source, None)
        broken += broken_links(renderer.site, {page.source: rendered.links})
        if notes is not None:
            notes[page.output] = replace(rendered, html=None)
        for error in rendered.errors:
            failed.setdefault(error, []).append(page.source)
        if rendered.html is not None:
            yield rendered.output, rendered.html
    fail_if(render_errors(failed) + broken + broken_links(renderer.site, others))


def normalize_base_url(base_url: str) -> str:
    """'guide' -> '/guide/'; the base is a path on the host, never a full URL."""
    path = "/" + base_url.strip().strip("/")
    path = path if path == "/" else path + "/"
    if not re.fullmatch(r"/([A-Za-z0-9._~-]+/)*", path) or {".", ".."} & set(path.split("/")):
        raise BuildError([SourceError("--base-url", None, f"must be a path like /guide/, got {base_url!r}")])
    return path
