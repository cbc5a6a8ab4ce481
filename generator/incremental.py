"""Rebuilds for ``ftsite serve``: redo only what a change touches.

``build()`` renders everything into a fresh folder and swaps it in. While
serving, an edit must show at once, so a Project keeps each stage's product
between builds. A rebuild re-reads only the changed files, re-runs only the
stages those files feed, renders only the pages whose HTML can differ, and
writes only files whose bytes did. The result is the tree a full build would
write; the tests hold it to that.
"""

from __future__ import annotations

import hashlib
import os
import time
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path

import jinja2

from .build import page_files, parse_all
from .bundle import Bundle, engine_bundle, make_bundle
from .content import Page, read_page
from .data import Data, parse_data
from .errors import BuildError, SourceError, fail_if
from .render import Renderer, data_templates, make_environment
from .runtime import Runtime
from .site import Site, assemble_site
from .sources import Sources, page_text, place, read_sources, update_sources
from .write import write_site


@dataclass(frozen=True)
class Outcome:
    what: str  # what changed, for the terminal
    pages: int  # pages rendered
    files: int  # files written or removed
    ms: float

    def line(self) -> str:
        return f"{self.what}: {self.pages} page{'s' if self.pages != 1 else ''} rendered, " \
               f"{self.files} file{'s' if self.files != 1 else ''} written, {self.ms:.0f} ms"


@dataclass
class Project:
    root: Path
    out: Path
    base_url: str
    runtime: Runtime
    today: str  # the build date
    sources: Sources | None = None
    data: Data | None = None
    pages: dict = field(default_factory=dict)  # content source -> Page (front matter)
    env: jinja2.Environment | None = None
    site: Site | None = None
    bundle: Bundle | None = None
    engine: Bundle | None = None
    notes: dict = field(default_factory=dict)  # page output -> its last Rendered, minus the HTML
    written: dict = field(default_factory=dict)  # output path -> sha256 of the bytes on disk
    pending: set = field(default_factory=set)  # changed files a failed rebuild has not applied yet

    def build_all(self, what: str = "full build") -> Outcome:
        """Everything from scratch, swapped in whole, as ``ftsite build`` does."""
        started = time.perf_counter()
        sources = read_sources(self.root)
        data, pages, env = parse_all(sources, self.today)
        self.engine = self.engine or engine_bundle(self.runtime, data.plain)
        site = assemble_site(pages, sources, data, self.base_url)
        bundle = make_bundle(sources.files, data.plain, self.engine, self.base_url)
        notes: dict = {}
        digests: dict = {}
        files = chain(bundle.files, page_files(Renderer(env, site, bundle.names, sources), list(site.pages), notes))
        write_site(((path, _noted(digests, path, data_)) for path, data_ in files), self.out)
        self.sources, self.data, self.env, self.site, self.bundle = sources, data, env, site, bundle
        self.pages = {page.source: page for page in pages}
        self.notes, self.written = notes, digests
        return Outcome(what, len(site.pages), len(digests), _ms(started))

    def rebuild(self, changed: list[Path]) -> Outcome:
        """Applies the changed files; raises BuildError and keeps the last good
        state (and site) when the change breaks the build. The files of a
        failed rebuild are applied again with the next change, so a fix in
        one file never leaves another file's edit behind."""
        changed = sorted(self.pending | set(changed))
        self.pending = set(changed)
        outcome = self._rebuild(changed) if self.site is not None else self.build_all(
            describe_changes(self.root, changed))
        self.pending = set()
        return outcome

    def _rebuild(self, changed: list[Path]) -> Outcome:
        started = time.perf_counter()
        sources = update_sources(self.sources, changed)
        slots = [slot for slot in (place(self.root, path) for path in changed) if slot]
        tables = {table for table, _key, _text in slots}
        edited = {key for table, key, _text in slots if table == "content"}
        data, pages, env = self._parse(sources, tables, edited)
        site = assemble_site(list(pages.values()), sources, data, self.base_url)
        bundle = make_bundle(sources.files, data.plain, self.engine, self.base_url) if tables & {"data", "files"} else self.bundle
        chosen = self._pages_to_render(site, bundle, data is not self.data, env is not self.env, edited)
        chosen_outputs = {page.output for page in chosen}
        chosen += [page for page in site.pages  # deleted from the output under us: written again
                   if page.output not in chosen_outputs and not (self.out / page.output).is_file()]
        notes = dict(self.notes)
        links = {page.source: notes[page.output].links for page in site.pages if page.output in notes}
        renderer = Renderer(env, site, bundle.names, sources)
        rendered = dict(page_files(renderer, chosen, notes, others=links))
        files = self._write(bundle, site, rendered, previous=dict(self.bundle.files))
        self.sources, self.data, self.pages, self.env, self.site, self.bundle = \
            sources, data, pages, env, site, bundle
        self.notes = {page.output: notes[page.output] for page in site.pages}
        return Outcome(describe_changes(self.root, changed), len(rendered), files, _ms(started))

    def _parse(self, sources: Sources, tables: set[str], edited: set[str]):
        errors: list[SourceError] = []
        data, env, pages = self.data, self.env, dict(self.pages)
        if "data" in tables:
            data = _collect(errors, parse_data, sources.data, self.today) or data
        if "templates" in tables:
            env = _collect(errors, make_environment, sources.templates) or env
        for name in sorted(edited):
            pages.pop(name, None)
            if name in sources.content:
                page = _collect(errors, _front_matter, sources, name)
                if page:
                    pages[name] = page
        fail_if(errors)
        return data, dict(sorted(pages.items())), env

    def _pages_to_render(self, site: Site, bundle: Bundle, data_changed: bool, templates_changed: bool,
                         edited: set[str]) -> list[Page]:
        """The pages whose HTML can differ after this change, and no others."""
        if templates_changed or site.nav != self.site.nav:
            return list(site.pages)
        moved = {name for name, target in bundle.names.items() if self.bundle.names.get(name) != target}
        driven = data_templates(self.env, self.sources.templates) if data_changed else set()
        chosen = []
        for page in site.pages:
            note = self.notes.get(page.output)
            if (note is None or page.source in edited or note.assets & moved
                    or (data_changed and (page.template in driven or note.figures or page.record is not None))):
                chosen.append(page)
        return chosen

    def _write(self, bundle: Bundle, site: Site, rendered: dict, previous: dict) -> int:
        """Writes what differs from what is on disk, removes what is gone.
        Files the last build already held as the very same bytes (Pyodide's,
        say) are not even hashed again."""
        wanted = dict(bundle.files)
        wanted.update(rendered)
        keep = set(wanted) | {page.output for page in site.pages}
        count = 0
        for path, data in wanted.items():
            on_disk = (self.out / path).is_file()  # the disk, not memory: files can be deleted under us
            if previous.get(path) is data and path in self.written and on_disk:
                continue
            digest = hashlib.sha256(data).hexdigest()
            if self.written.get(path) != digest or not on_disk:
                _replace(self.out / path, data)
                self.written[path] = digest
                count += 1
        for path in sorted(set(self.written) - keep):
            (self.out / path).unlink(missing_ok=True)
            del self.written[path]
            count += 1
        return count


def _collect(errors: list[SourceError], parse, *args):
    try:
        return parse(*args)
    except BuildError as error:
        errors.extend(error.errors)
        return None


def _front_matter(sources: Sources, name: str) -> Page:
    return read_page(name, page_text(sources, name))


def _noted(digests: dict, path: str, data: bytes) -> bytes:
    digests[path] = hashlib.sha256(data).hexdigest()
    return data


def _replace(target: Path, data: bytes) -> None:
    """Readers of the served folder see the old file or the new, never half of one."""
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, target)


def describe_changes(root: Path, changed: list[Path]) -> str:
    names = sorted({path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
                    for path in changed})
    return ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")


def _ms(started: float) -> float:
    return (time.perf_counter() - started) * 1000
