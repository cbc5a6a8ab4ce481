"""What a build may reuse from the last one: ``ftsite serve``'s memory.

The stages stay those of ``build()``; a Cache only holds each stage's last
product and lets a build after a change skip what the change cannot touch:

- LOAD re-reads only the changed files, and PARSE re-parses only the tables
  they belong to (data, one page's front matter, the templates);
- RENDER renders a page again when its own file changed, when a template it
  loaded changed, when a name it looked up now holds something else (the
  digests of ``context.fingerprints``), when an asset it used moved, or when
  its output is gone from the disk. What each page read is recorded while it
  renders, so no list of dependencies is kept by hand;
- WRITE (``write.update_site``) writes only files whose bytes differ from
  what is on the disk, and removes what the site no longer has.

The tests hold a rebuild to the tree a fresh full build writes.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import BuildError, SourceError, fail_if
from .content import Page, read_page
from .context import fingerprints
from .data import parse_data
from .render import Renderer, make_environment
from .sources import Sources, page_text


@dataclass
class Cache:
    out: Path | None = None  # the output folder the cached build wrote
    sources: Sources | None = None
    data: object = None
    pages: dict = field(default_factory=dict)  # content source -> Page (front matter)
    env: object = None
    site: object = None
    bundle: object = None
    engine: object = None  # the engine bundle: it changes only with the code, which restarts serve
    prints: dict = field(default_factory=dict)  # template name -> fingerprint of its value
    notes: dict = field(default_factory=dict)  # page output -> its last Rendered, minus the HTML
    written: dict = field(default_factory=dict)  # output path -> sha256 of the bytes on disk
    pending: set = field(default_factory=set)  # changed files a failed build has not applied yet

    def keep(self, sources, data, pages, env, site, bundle, engine, renderer: Renderer, notes: dict) -> None:
        """What this build made, for the next one to reuse."""
        self.sources, self.data, self.env, self.site, self.bundle, self.engine = \
            sources, data, env, site, bundle, engine
        self.pages = {page.source: page for page in pages}
        self.prints = fingerprints(site, renderer.common)
        self.notes = {page.output: notes[page.output] for page in site.pages if page.output in notes}
        self.pending = set()

    def wrote(self, path: str, data: bytes) -> None:
        self.written[path] = hashlib.sha256(data).hexdigest()

    def forget(self) -> None:
        """Everything but the engine bundle, so the next build is a full one."""
        engine = self.engine
        self.__init__()
        self.engine = engine


def parse_changed(cache: Cache, sources: Sources, today: str, slots: list) -> tuple:
    """The parsed data, pages and templates, re-parsing only the tables the
    changed files belong to; every error of all three together."""
    tables = {table for table, _key, _text in slots}
    edited = {key for table, key, _text in slots if table == "content"}
    errors: list[SourceError] = []
    data, env, pages = cache.data, cache.env, dict(cache.pages)
    if "data" in tables:
        data = _collect(errors, parse_data, sources.data, today) or data
    if "templates" in tables:
        env = _collect(errors, make_environment, sources.templates) or env
    for name in sorted(edited):
        pages.pop(name, None)
        if name in sources.content:
            page = _collect(errors, lambda n: read_page(n, page_text(sources, n)), name)
            if page:
                pages[name] = page
    fail_if(errors)
    return data, [pages[name] for name in sorted(pages)], env


def _collect(errors: list[SourceError], parse, *args):
    try:
        return parse(*args)
    except BuildError as error:
        errors.extend(error.errors)
        return None


def touched_pages(cache: Cache, renderer: Renderer, bundle, slots: list) -> list[Page]:
    """The pages whose HTML can differ after this change, and no others."""
    site = renderer.site
    edited = {key for table, key, _text in slots if table == "content"}
    templates = {f"template:{key}" for table, key, _text in slots if table == "templates"}
    prints = fingerprints(site, renderer.common)
    names = {name for name, digest in prints.items() if cache.prints.get(name) != digest}
    moved = {name for name, target in bundle.names.items() if cache.bundle.names.get(name) != target}
    chosen = []
    for page in site.pages:
        note = cache.notes.get(page.output)
        if (note is None or page.source in edited or note.reads & (templates | names) or note.assets & moved
                or not (cache.out / page.output).is_file()):
            chosen.append(page)
    return chosen
