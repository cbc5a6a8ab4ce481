"""CHECK: what a built site promises its readers, verified on the output.

Reads the written HTML the way a browser would follow it: every internal link
and ``#anchor`` must land, and no resource (script, stylesheet, image, font,
worker) may come from another host.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

RESOURCE_ATTRS = {("link", "href"), ("script", "src"), ("img", "src"), ("source", "src"), ("iframe", "src"),
                  ("audio", "src"), ("video", "src"), ("embed", "src"), ("object", "data"), ("image", "href"),
                  ("use", "href"), ("input", "src"), ("track", "src")}
CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)")


@dataclass
class Document:
    ids: set = field(default_factory=set)
    links: list = field(default_factory=list)  # (url, line)
    resources: list = field(default_factory=list)  # (url, line)
    results: list = field(default_factory=list)  # (data-result key, line)


class _Reader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.doc = Document()

    def handle_starttag(self, tag, attrs):
        line = self.getpos()[0]
        values = dict(attrs)
        if values.get("id"):
            self.doc.ids.add(values["id"])
        if tag == "a" and values.get("name"):
            self.doc.ids.add(values["name"])
        if values.get("data-result"):
            self.doc.results.append((values["data-result"], line))
        for name, value in attrs:
            if value is None:
                continue
            if (tag, name) in RESOURCE_ATTRS and not (tag == "link" and _is_hyperlink(values)):
                self.doc.resources.append((value, line))
            elif (tag, name) in (("a", "href"), ("link", "href"), ("area", "href"), ("form", "action")):
                self.doc.links.append((value, line))
            elif name == "style":
                self.doc.resources += [(u, line) for u in CSS_URL.findall(value)]


def _is_hyperlink(attrs: dict) -> bool:
    """<link rel=canonical|alternate> points at pages, not at resources the page loads."""
    rels = set((attrs.get("rel") or "").split())
    return bool(rels & {"canonical", "alternate", "prev", "next", "author", "license", "help", "search"})


def read_document(path: Path) -> Document:
    reader = _Reader()
    reader.feed(path.read_text(encoding="utf-8"))
    reader.close()
    return reader.doc


def site_documents(out: Path) -> dict[str, Document]:
    """output-relative path -> Document, for every HTML file of the site."""
    return {p.relative_to(out).as_posix(): read_document(p) for p in sorted(out.rglob("*.html"))}


def off_site_resources(out: Path, documents: dict[str, Document] | None = None) -> list[str]:
    """Problems: resources in HTML or CSS that a browser would fetch from elsewhere."""
    documents = site_documents(out) if documents is None else documents
    found = []
    for name, doc in documents.items():
        found += [f"{name}:{line}: loads {url} from outside the site" for url, line in doc.resources if _external(url)]
    for css in sorted(out.rglob("*.css")):
        text = css.read_text(encoding="utf-8")
        found += [f"{css.relative_to(out).as_posix()}: loads {url} from outside the site"
                  for url in CSS_URL.findall(text) if _external(url)]
    return found


def _external(url: str) -> bool:
    parts = urlsplit(url.strip())
    return bool(parts.scheme or parts.netloc) and parts.scheme not in ("", "data") or url.strip().startswith("//")


def broken_links(out: Path, base_url: str, documents: dict[str, Document] | None = None) -> list[str]:
    """Problems: internal links and anchors that land nowhere."""
    documents = site_documents(out) if documents is None else documents
    found = []
    for name, doc in documents.items():
        for url, line in doc.links + doc.resources:
            problem = _link_problem(out, base_url, name, url, documents)
            if problem:
                found.append(f"{name}:{line}: {problem}")
    return found


def _link_problem(out: Path, base_url: str, page: str, url: str, documents: dict[str, Document]) -> str | None:
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or url.startswith(("mailto:", "tel:")):
        return None
    if parts.path and not parts.path.startswith("/"):
        return f"relative link {url!r}: links are absolute under the base URL"
    if parts.path == "":
        target = page
    elif not parts.path.startswith(base_url):
        return f"link {url!r} leaves the base URL {base_url}"
    else:
        target = unquote(parts.path[len(base_url):])
        target = target + "index.html" if target == "" or target.endswith("/") else target
        if not (out / target).is_file():
            return f"link {url!r} matches no file of the site"
    if parts.fragment and target.endswith(".html"):
        doc = documents.get(target)
        if doc is not None and parts.fragment not in doc.ids:
            return f"link {url!r}: no element with id {parts.fragment!r} in {target}"
    return None
