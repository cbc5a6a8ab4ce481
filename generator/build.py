"""build(): the stages in order; read it as the table of contents.

    load -> parse (data, content) -> model -> bundle -> render -> write

Every stage before ``write`` raises BuildError with all of its problems, and
nothing touches the output folder until the new site is complete.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import chain
from pathlib import Path

from .bundle import engine_bundle, make_bundle
from .data import parse_data
from .content import parse_pages
from .errors import BuildError, SourceError, fail_if
from .render import make_environment, render_pages
from .runtime import load_runtime
from .site import assemble_site
from .sources import read_sources
from .write import check_target, write_site


@dataclass(frozen=True)
class Report:
    pages: int
    files: int


def build(root: Path, out: Path, base_url: str = "/", pyodide_dir: Path | None = None) -> Report:
    """Builds the project at ``root`` into ``out``; raises BuildError."""
    base_url = normalize_base_url(base_url)
    check_target(out, root)
    sources = read_sources(root)
    data, content, env = parse_all(sources, base_url)
    site = assemble_site(content, sources, data, base_url)
    bundle = make_bundle(sources.files, data.plain, engine_bundle(load_runtime(pyodide_dir)))
    pages = render_pages(env, site, bundle.names)
    files = write_site(chain(bundle.files, pages), out)
    return Report(pages=len(site.pages), files=files)


def parse_all(sources, base_url: str):
    """Data, content and templates parse independently: one run reports the
    mistakes of all three."""
    errors: list[SourceError] = []
    parsed = []
    for parse, argument in ((parse_data, sources.data), (lambda c: parse_pages(c, base_url), sources.content),
                            (make_environment, sources.templates)):
        try:
            parsed.append(parse(argument))
        except BuildError as error:
            errors += error.errors
    fail_if(errors)
    return parsed


def normalize_base_url(base_url: str) -> str:
    """'guide' -> '/guide/'; the base is a path on the host, never a full URL."""
    path = "/" + base_url.strip().strip("/")
    path = path if path == "/" else path + "/"
    if not re.fullmatch(r"/([A-Za-z0-9._~-]+/)*", path):
        raise BuildError([SourceError("--base-url", None, f"must be a path like /guide/, got {base_url!r}")])
    return path
