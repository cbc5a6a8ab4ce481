"""CHECK: what a built site promises its readers, verified on the output.

Reads the written HTML the way a browser would follow it: every internal link
and ``#anchor`` must land, and no resource (script, stylesheet, image, font,
worker) may come from another host. ``check_project`` (``ftsite check``)
builds the site and adds what only the data can tell: every ``data-result``
names a key of the engine's result and every price has a web source. (The
build itself refuses a price dated after the build date and warns of those
older than 180 days; ``check`` prints the same warnings.)
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from dataclasses import dataclass, field
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ..engine.display import at, flat
from ..pipeline.build import build
from ..pipeline.data import Data, leaves, locate
from . import build_date, drift

RESOURCE_ATTRS = {("link", "href"), ("script", "src"), ("img", "src"), ("source", "src"), ("iframe", "src"),
                  ("audio", "src"), ("video", "src"), ("video", "poster"), ("embed", "src"), ("object", "data"),
                  ("image", "href"), ("image", "xlink:href"), ("use", "href"), ("use", "xlink:href"),
                  ("feimage", "href"), ("feimage", "xlink:href"), ("input", "src"), ("track", "src")}
SRCSETS = ("srcset", "imagesrcset")  # "a.png 1x, b.png 2x": each candidate is loaded
CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)|@import\s+['\"]([^'\"]+)")
REFRESH = re.compile(r"url\s*=\s*['\"]?([^'\"\s]+)", re.I)


@dataclass
class Document:
    ids: set = field(default_factory=set)
    links: list = field(default_factory=list)  # (url, line)
    resources: list = field(default_factory=list)  # (url, line)
    results: list = field(default_factory=list)  # (data-result or data-chart key, line)


def css_urls(text: str) -> list[str]:
    """Every url(...) and @import "..." in a stylesheet."""
    return [a or b for a, b in CSS_URL.findall(text)]


class _Reader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.doc = Document()
        self.in_style = False

    def handle_endtag(self, tag):
        if tag == "style":
            self.in_style = False

    def handle_data(self, data):
        if self.in_style:
            self.doc.resources += [(url, self.getpos()[0]) for url in css_urls(data)]

    def handle_starttag(self, tag, attrs):
        line = self.getpos()[0]
        values = dict(attrs)
        self.in_style = tag == "style"
        if tag == "meta" and (values.get("http-equiv") or "").lower() == "refresh":
            self.doc.resources += [(url, line) for url in REFRESH.findall(values.get("content") or "")]
        if values.get("id"):
            self.doc.ids.add(values["id"])
        if tag == "a" and values.get("name"):
            self.doc.ids.add(values["name"])
        for name in ("data-result", "data-chart"):
            if values.get(name):
                self.doc.results.append((values[name], line))
        for name, value in attrs:
            if value is None:
                continue
            if (tag, name) in RESOURCE_ATTRS and not (tag == "link" and _is_hyperlink(values)):
                self.doc.resources.append((value, line))
            elif (tag, name) in (("a", "href"), ("link", "href"), ("area", "href"), ("form", "action")):
                self.doc.links.append((value, line))
            elif name == "style":
                self.doc.resources += [(u, line) for u in css_urls(value)]
            elif name in SRCSETS:
                self.doc.resources += [(c.split()[0], line) for c in value.split(",") if c.split()]


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
                  for url in css_urls(text) if _external(url)]
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


@dataclass
class Findings:
    problems: list  # each "path:line: message"; any of them fails the check
    warnings: list
    pages: int
    links: int
    drift: list = field(default_factory=list)  # each "path:line: message": the catalog against a price list
    compared: int = 0  # rows of that list the catalog's aliases name


def run(args: argparse.Namespace) -> int:
    if args.strict and not args.drift:
        print("ftsite check: --strict needs --drift FILE", file=sys.stderr)
        return 2
    price_list = drift.read_list(args.drift) if args.drift else None  # a bad list fails before a build
    findings = check_project(args.project.resolve(), args.base_url, build_date(args),
                             (price_list, str(args.drift)) if args.drift else None)
    for warning in findings.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    if args.drift and not findings.compared:
        unmatched = (f"{args.drift}: no row of the list is named by an alias in data/: is it LiteLLM's "
                     "model_prices_and_context_window.json?")
        findings.drift.append(unmatched)
    if args.strict:
        findings.problems += findings.drift  # printed once, with the problems
    else:
        for difference in findings.drift:
            print(f"drift: {difference}")
    if args.drift:
        print(f"ftsite check: {len(findings.drift)} difference(s) in the {findings.compared} rows of {args.drift} "
              f"the catalog's aliases name" + (" (errors with --strict)" if findings.drift and args.strict else ""))
    for problem in findings.problems:
        print(f"  {problem}", file=sys.stderr)
    if findings.problems:
        print(f"ftsite check: {len(findings.problems)} problem(s) in {findings.pages} pages", file=sys.stderr)
        return 1
    warned = len(findings.warnings)
    print(f"ftsite check: {findings.pages} pages, {findings.links} links, results and prices all good"
          + (f" ({warned} warning{'s' if warned != 1 else ''})" if warned else ""))
    return 0


def check_project(root: Path, base_url: str | None, today: date, price_list: tuple | None = None) -> Findings:
    """Builds the project into a scratch folder and checks the result; raises
    BuildError when the build itself fails. The catalog is parsed once, by
    the build."""
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch) / "site"
        report = build(root, out, today.isoformat(), base_url)
        base_url = report.base_url
        data = report.data
        documents = site_documents(out)
        problems = broken_links(out, base_url, documents) + off_site_resources(out, documents)
        problems += unknown_results(documents, report.result)
    found, compared = drift.differences(data, *price_list) if price_list else ([], 0)
    return Findings(problems + web_sources(data), [str(w) for w in data.warnings], len(documents),
                    sum(len(doc.links) for doc in documents.values()), [str(d) for d in found], compared)


def unknown_results(documents: dict[str, Document], result: dict) -> list[str]:
    """``data-result`` and ``data-chart`` names that are no key of the engine's result."""
    shown = flat(result)
    found = []
    for name, doc in documents.items():
        for key, line in doc.results:
            if key not in shown and at(result, key) is None:
                found.append(f"{name}:{line}: data-result {key!r} is not a key of the engine's result")
    return found


def web_sources(data: Data) -> list[str]:
    return [str(locate(data, path, f"source must be an http(s) URL, got {value!r}"))
            for path, value in leaves(data.plain)
            if path[-1] == "source" and not (isinstance(value, str) and re.match(r"^https?://", value))]
