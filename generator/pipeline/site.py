"""MODEL: the whole site before rendering: pages, URLs, navigation, results.

Content pages come from Markdown front matter; one page per model and per
provider comes from the catalog. Here the site is checked as a whole: every
page has its template and no two pages claim one output file. Once pages are
rendered, ``broken_links`` checks that every root-relative link in their
Markdown lands on a page or a file of the site.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from .content import Page
from .data import Data
from ..engine import api, display
from ..errors import SourceError, fail_if
from ..bundle.policy import generated
from .sources import Sources


@dataclass(frozen=True)
class NavItem:
    title: str
    url: str


@dataclass(frozen=True)
class Site:
    data: Data
    base_url: str  # the path the site is served under: "/" or "/guide/"
    pages: tuple  # of Page, content first, then generated, each group by URL
    nav: tuple  # of NavItem
    targets: frozenset  # every site-relative URL and file a link may point at
    result: dict  # the default scenario's result, computed at build time
    shown: dict  # the same, formatted for people, by data-result key

    @property
    def public_url(self) -> str:
        """Where the site's root is published: the host of site.url with the
        base path, so canonical links, the sitemap and the feed can never
        point at another place than the pages' own links."""
        return public_root(self.data.settings.url, self.base_url)


def public_root(url: str, base_url: str) -> str:
    """https://example.org/ + /guide/ -> https://example.org/guide/"""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}{base_url}"


def base_path(url: str) -> str:
    """The path of the site's public address, which is where it is served
    unless --base-url says otherwise: https://x.org/guide/ -> /guide/"""
    return urlsplit(url).path or "/"


def assemble_site(content: list[Page], sources: Sources, data: Data, base_url: str) -> Site:
    """Parsed content pages plus the generated ones, checked as one site."""
    pages = [page for page in content if not page.draft] + generated_pages(data, sources.templates)
    fail_if(_check_pages(pages, sources))
    result = api.evaluate(data.catalog)
    nav = tuple(NavItem(p.nav or p.title, p.url) for p in sorted(pages, key=lambda p: (p.order, p.url))
                if _top_level(p))
    targets = frozenset({p.url for p in pages} | set(sources.files))
    return Site(data, base_url, tuple(pages), nav, targets, result, display.flat(result))


def _top_level(page: Page) -> bool:
    """Navigation lists the pages written directly in content/, not those in sub-folders."""
    return page.source.startswith("content/") and page.source.count("/") == 1 and page.url != "404.html"


FEEDS = ("sitemap.xml", "robots.txt", "feed.xml")  # written from the template of the same name, when there is one


def generated_pages(data: Data, templates: dict) -> list[Page]:
    """One page per model and per provider record, rendered from the data,
    and the sitemap, robots.txt and Atom feed."""
    catalog = data.catalog
    pages = [Page(source=f"data: models[{i}] {m.id}", url=f"models/{m.id}/", title=m.name,
                  description=_sentence(m.summary), template="model.html", order=1000, record=m)
             for i, m in enumerate(catalog.models.values())]
    pages += [Page(source=f"data: providers[{i}] {p.id}", url=f"providers/{p.id}/", title=p.name,
                   description=_sentence(p.summary), template="provider.html", order=1000, record=p)
              for i, p in enumerate(catalog.providers.values())]
    pages += [Page(source=f"templates/{name}", url=name, title=name, description="", template=name, order=1000)
              for name in FEEDS if name in templates]
    return pages


def _sentence(text: str, limit: int = 160) -> str:
    """A summary cut to what search results show, at a word boundary."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: text.rfind(" ", 0, limit - 1)].rstrip(",;:") + "…"


def _check_pages(pages: list[Page], sources: Sources) -> list[SourceError]:
    errors = [SourceError(f"content/{path}", None, f"would replace the {path} the build writes")
              for path in sources.files if generated(path)]
    owners: dict[str, Page] = {}
    for page in pages:
        if page.output in sources.files:
            errors.append(SourceError(f"content/{page.output}", None, f"would replace the {page.output} the build "
                                                                      f"writes (from {page.source})"))
        if page.template not in sources.templates:
            errors.append(SourceError(page.source, 1, f"template {page.template!r} does not exist in templates/"))
        if page.output in owners:
            errors.append(SourceError(page.source, 1, f"writes {page.output}, which {owners[page.output].source} "
                                                      "writes too"))
        owners[page.output] = page
    return errors


def broken_links(site: Site, links: dict[str, tuple]) -> list[SourceError]:
    """Root-relative Markdown links, {page source: ((target, fragment, line), ...)},
    that match no page or file of the site."""
    return [SourceError(source, line, f"link to /{path} matches no page or file of the site")
            for source, found in sorted(links.items()) for path, _fragment, line in found
            if path not in site.targets and path + "/" not in site.targets]
