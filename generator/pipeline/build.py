"""build(): the stages in order; read it as the table of contents.

    load -> parse (data, front matter, templates) -> model -> bundle -> render -> write

Every stage raises BuildError with all of its problems. Pages stream from the
render stage into the writer, and nothing replaces the output folder until
every page has rendered and every link has been checked.

``ftsite serve`` calls this same function with a ``Cache`` and the files
that changed: each stage then reuses what the change cannot have touched,
only the pages whose reads changed are rendered again, and only files whose
bytes differ from the disk are written.
"""

from __future__ import annotations

import re
from contextlib import nullcontext
from dataclasses import dataclass, replace
from functools import partial
from itertools import chain
from pathlib import Path
from typing import Iterator

from ..bundle.assets import engine_bundle, make_bundle
from ..bundle.record import record_files
from ..bundle.runtime import load_runtime
from ..errors import BuildError, SourceError, fail_if
from .cache import Cache, parse_changed, touched_pages
from .content import Page, read_pages
from .data import Data, parse_data
from .render import Renderer, make_environment, render_errors, render_pages
from .site import assemble_site, base_path, broken_links
from .sources import Sources, place, read_sources, update_sources
from .write import OutputLock, check_target, update_site, write_site


@dataclass(frozen=True)
class Report:
    pages: int  # pages in the site
    rendered: int  # pages rendered by this build
    files: int  # files written (or, by a rebuild, removed)
    data: Data  # the catalog as parsed, for ftsite check
    result: dict  # the default scenario's result
    base_url: str  # the path the site was built to be served under


def build(root: Path, out: Path, today: str, base_url: str | None = None, pyodide_dir: Path | None = None,
          cache: Cache | None = None, changed: list[Path] | None = None) -> Report:
    """Builds the project at ``root`` into ``out`` as of ``today``; raises
    BuildError. ``base_url`` is the path it is served under; None means
    the path of site.url in data/site.yaml. With a ``cache`` (whose holder
    keeps the output lock), a build after the first applies only ``changed``."""
    given = normalize_base_url(base_url) if base_url is not None else None
    check_target(out, root)
    if cache is not None:
        changed = sorted(cache.pending | set(changed or []))  # a failed build's files are applied again
        cache.pending = set(changed)
        cache.out = out
    with nullcontext() if cache is not None else OutputLock(out):
        incremental = cache is not None and cache.site is not None
        sources = update_sources(cache.sources, changed or []) if incremental else read_sources(root)
        slots = [slot for slot in (place(root, path) for path in changed or []) if slot] if incremental else []
        data, pages, env = parse_changed(cache, sources, today, slots) if incremental else parse_all(sources, today)
        base_url = given or normalize_base_url(base_path(data.settings.url), "site.url in data/site.yaml")
        site = assemble_site(pages, sources, data, base_url)
        engine = (cache and cache.engine) or engine_bundle(load_runtime(pyodide_dir), data.plain)
        reuse = incremental and not {table for table, _key, _text in slots} & {"data", "files"}
        bundle = cache.bundle if reuse else make_bundle(
            sources.files, data.plain, engine, base_url, data.catalog.as_of,
            record_files(site.result, data.plain, today, site.public_url + "costs/"))
        renderer = Renderer(env, site, bundle.names, sources)
        chosen = touched_pages(cache, renderer, bundle, slots) if incremental else list(site.pages)
        notes = dict(cache.notes) if incremental else {}
        links = {p.source: notes[p.output].links for p in site.pages if p.output in notes} if incremental else None
        rendered = page_files(renderer, chosen, notes, links)
        if incremental:
            files = update_site(cache, out, bundle, site, dict(rendered))
        else:
            files = write_site(_noted(cache, chain(bundle.files, rendered)), out)
    if cache is not None:
        cache.keep(sources, data, pages, env, site, bundle, engine, renderer, notes)
    return Report(len(site.pages), len(chosen), files, data, site.result, base_url)


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


def page_files(renderer: Renderer, pages: list[Page], notes: dict, others: dict | None = None
               ) -> Iterator[tuple[str, bytes]]:
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
        notes[page.output] = replace(rendered, html=None)
        for error in rendered.errors:
            failed.setdefault(error, []).append(page.source)
        if rendered.html is not None:
            yield rendered.output, rendered.html
    fail_if(render_errors(failed) + broken + broken_links(renderer.site, others))


def _noted(cache: Cache | None, files):
    """Passes files through, noting each one's digest in the cache."""
    for path, data in files:
        if cache is not None:
            cache.wrote(path, data)
        yield path, data


def normalize_base_url(base_url: str, source: str = "--base-url") -> str:
    """'guide' -> '/guide/'; the base is a path on the host, never a full URL."""
    path = "/" + base_url.strip().strip("/")
    path = path if path == "/" else path + "/"
    if not re.fullmatch(r"/([A-Za-z0-9._~-]+/)*", path) or {".", ".."} & set(path.split("/")):
        raise BuildError([SourceError(source, None, f"must be a path like /guide/, got {base_url!r}")])
    return path
