"""MODEL: the whole site before rendering: pages, URLs, navigation, results.

Content pages come from Markdown; one page per model and per provider comes
from the catalog. Here the site is checked as a whole: every page has its
template, no two pages claim one output file, every root-relative link in the
content lands on a page or a file of the site.
"""

from __future__ import annotations

from dataclasses import dataclass

from .content import Page
from .data import Data
from .engine import api, display
from .errors import SourceError, fail_if
from .sources import Sources


@dataclass(frozen=True)
class NavItem:
    title: str
    url: str


@dataclass(frozen=True)
class Site:
    data: Data
    base_url: str
    pages: tuple  # of Page, content first, then generated, each group by URL
    nav: tuple  # of NavItem
    result: dict  # the default scenario's result, computed at build time
    shown: dict  # the same, formatted for people, by data-result key


def assemble_site(content: list[Page], sources: Sources, data: Data, base_url: str) -> Site:
    """Parsed content pages plus the generated ones, checked as one site."""
    pages = [page for page in content if not page.draft] + generated_pages(data)
    fail_if(_check_pages(pages, sources))
    result = api.evaluate(data.catalog)
    nav = tuple(NavItem(p.nav or p.title, p.url) for p in sorted(pages, key=lambda p: (p.order, p.url))
                if p.source.startswith("content/") and p.url != "404.html")
    return Site(data, base_url, tuple(pages), nav, result, display.flat(result))


def generated_pages(data: Data) -> list[Page]:
    """One page per model and per provider record, rendered from the data."""
    catalog = data.catalog
    pages = [Page(source=f"data: models[{i}] {m.id}", url=f"models/{m.id}/", title=m.name,
                  description=_sentence(m.summary), template="model.html", order=1000, record=m, data_driven=True)
             for i, m in enumerate(catalog.models.values())]
    pages += [Page(source=f"data: providers[{i}] {p.id}", url=f"providers/{p.id}/", title=p.name,
                   description=_sentence(p.summary), template="provider.html", order=1000, record=p,
                   data_driven=True)
              for i, p in enumerate(catalog.providers.values())]
    return pages


def _sentence(text: str) -> str:
    """The first sentence of a summary, for a page's meta description."""
    first = text.split(". ")[0].rstrip(".")
    return first + "."


def _check_pages(pages: list[Page], sources: Sources) -> list[SourceError]:
    errors = []
    owners: dict[str, Page] = {}
    for page in pages:
        if page.template not in sources.templates:
            errors.append(SourceError(page.source, 1, f"template {page.template!r} does not exist in templates/"))
        if page.output in owners:
            errors.append(SourceError(page.source, 1, f"writes {page.output}, which {owners[page.output].source} "
                                                      "writes too"))
        owners[page.output] = page
        for name, line in page.figures:
            if f"figures/{name}.html" not in sources.templates:
                known = sorted(t[8:-5] for t in sources.templates if t.startswith("figures/"))
                errors.append(SourceError(page.source, line, f"unknown figure {name!r} (known: {', '.join(known)})"))
    targets = {p.url for p in pages} | set(sources.files)
    for page in pages:
        for path, _fragment, line in page.links:
            if path not in targets and path + "/" not in targets:
                errors.append(SourceError(page.source, line, f"link to /{path} matches no page or file of the site"))
    return errors
