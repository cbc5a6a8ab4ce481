"""RENDER: Jinja2 templates -> HTML, with autoescape and StrictUndefined.

Templates are compiled up front, so every syntax error of every template is
reported in one run. A render error (an undefined variable, say) is traced
back to the template line that raised it, and rendering goes on to the other
pages so all of them are reported together.
"""

from __future__ import annotations

import re
import traceback
from typing import Iterator

import jinja2
import jinja2.meta
from markupsafe import Markup

from .content import FIGURE_MARK, Page
from .engine import api, cost, display, scenario
from .engine.model import Catalog, Offer
from .errors import SourceError, fail_if
from .site import Site

FIGURE = re.compile(re.escape(FIGURE_MARK).replace(r"\{\}", r"([a-z0-9-]*)"))


def make_environment(templates: dict[str, str]) -> jinja2.Environment:
    """An environment over in-memory templates; raises BuildError on syntax errors."""
    env = jinja2.Environment(
        loader=jinja2.FunctionLoader(lambda name: _source(templates, name)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(money=display.money, money_range=display.money_range, count=display.count)
    env.tests["contains"] = lambda collection, item: item in collection
    errors = []
    for name in sorted(templates):
        try:
            env.get_template(name)
        except jinja2.TemplateSyntaxError as error:
            errors.append(SourceError(f"templates/{error.name or name}", error.lineno, error.message or "syntax error"))
    fail_if(errors)
    return env


DATA_NAMES = {"catalog", "result", "shown", "options", "evaluate", "defaults", "training_price", "tuned_price"}


def data_templates(env: jinja2.Environment, names) -> set[str]:
    """The templates whose output depends on the catalog, directly or through
    what they extend, include or import: the pages to redo when data changes."""
    uses: dict[str, tuple[set, set]] = {}
    for name in names:
        tree = env.parse(env.loader.get_source(env, name)[0])
        uses[name] = (jinja2.meta.find_undeclared_variables(tree),
                      {t for t in jinja2.meta.find_referenced_templates(tree) if t})

    def depends(name: str, seen: frozenset = frozenset()) -> bool:
        if name not in uses or name in seen:
            return False
        variables, children = uses[name]
        return bool(variables & DATA_NAMES) or any(depends(c, seen | {name}) for c in children)

    return {name for name in uses if depends(name)}


def _source(templates: dict[str, str], name: str):
    if name not in templates:
        return None
    return templates[name], f"templates/{name}", lambda: True


def render_pages(env: jinja2.Environment, site: Site, assets: dict[str, str], pages=None,
                 used: dict | None = None) -> Iterator[tuple[str, bytes]]:
    """Yields (output path, HTML bytes) page by page; raises BuildError at the
    end with every page's error, so nothing half-rendered is ever swapped in.
    ``used``, when given, receives each page's asset names (for rebuilds)."""
    failed: dict[SourceError, list[str]] = {}  # one template mistake breaks many pages: say it once
    common = _globals(site)
    for page in site.pages if pages is None else pages:
        names: set[str] = set()
        try:
            html = render_page(env, page, common, _asset_function(site.base_url, assets, names))
        except jinja2.TemplateError as error:
            failed.setdefault(_located(error, page), []).append(page.source)
            continue
        if used is not None:
            used[page.output] = names
        yield page.output, html.encode("utf-8")
    fail_if([_with_pages(error, sources) for error, sources in failed.items()])


def render_page(env: jinja2.Environment, page: Page, common: dict, asset) -> str:
    context = {**common, "page": page, "asset": asset}
    context["body"] = Markup(FIGURE.sub(lambda m: env.get_template(f"figures/{m.group(1)}.html").render(context),
                                        page.body))
    return env.get_template(page.template).render(context)


def _asset_function(base: str, assets: dict[str, str], names: set[str]):
    def asset(name: str) -> str:
        """The hashed URL of a bundled file: asset("assets/site.css") -> /assets/site.1a2b3c4d5e.css"""
        names.add(name)
        return base + assets[name]

    return asset


def _globals(site: Site) -> dict:
    base = site.base_url
    catalog = site.data.catalog

    def url(path: str = "") -> str:
        """A site-relative path under the base URL: url("costs/") -> /guide/costs/."""
        return base + path.lstrip("/")

    defaults = {key: scenario.as_text(field, catalog.defaults.get(key)) for key, field in scenario.FIELDS.items()}
    return {
        "options": _options(catalog),
        "evaluate": lambda values: display.flat(api.evaluate(catalog, values)),
        "training_price": lambda offer: _training_price(catalog, offer),
        "tuned_price": lambda offer: _tuned_price(catalog, offer),
        "settings": site.data.settings,
        "base_url": base,
        "nav": site.nav,
        "catalog": catalog,
        "result": site.result,
        "shown": site.shown,
        "fields": scenario.FIELDS,
        "defaults": defaults,
        "url": url,
    }


def _options(catalog: Catalog) -> dict[str, list[tuple[str, str]]]:
    """The choices of each select, in catalog order."""
    tunable = dict.fromkeys(m for offer in catalog.offers.values() for m in offer.models)
    return {
        "answers.goal": [(a.goal, a.title) for a in catalog.advice.values()],
        "training.offer": [(o.id, o.name) for o in catalog.offers.values()],
        "usage.baseline_model": [(m.id, f"{m.name} ({display.money(m.price.input_per_1m)} in, "
                                         f"{display.money(m.price.output_per_1m)} out per 1M)")
                                 for m in catalog.models.values() if m.price],
        "usage.tuned_model": [(m, catalog.models[m].name) for m in tunable],
    }


def _training_price(catalog: Catalog, offer: Offer) -> str:
    low, high = cost.train_price(catalog, offer)
    text = display.money_range({"low": low, "high": high})
    if offer.training.gpu:
        gpu = catalog.gpus[offer.training.gpu]
        text += (f" ({gpu.name} at {display.money(gpu.per_hour)} an hour, "
                 f"{display.count(round(offer.training.tokens_per_second))} tokens a second)")
    return text


def _tuned_price(catalog: Catalog, offer: Offer) -> str:
    """What running the tuned model costs, as one phrase."""
    inference = offer.inference
    parts = [f"{display.money(i)} in, {display.money(o)} out per 1M" for i, o in inference.listed.values()]
    if inference.multiplier is not None:
        parts.append(f"{format(inference.multiplier, 'g')}x the base price")
    if inference.gpu:
        gpu = catalog.gpus[inference.gpu]
        scale = ", more as volume grows" if inference.output_tokens_per_second else ""
        parts.append(f"{inference.gpus} x {gpu.name} at {display.money(gpu.per_hour)} an hour{scale}")
    if inference.hosting_per_month_usd:
        parts.append(f"{display.money(inference.hosting_per_month_usd)} a month hosting")
    return "; ".join(parts)


def _located(error: jinja2.TemplateError, page: Page) -> SourceError:
    """The innermost template line in the traceback, which Jinja2 rewrites to
    point at template files rather than at its compiled code."""
    where = [frame for frame in traceback.extract_tb(error.__traceback__) if frame.filename.startswith("templates/")]
    message = str(error.message or error)
    if where:
        return SourceError(where[-1].filename, where[-1].lineno, message)
    return SourceError(page.source, None, message)


def _with_pages(error: SourceError, sources: list[str]) -> SourceError:
    more = f" and {len(sources) - 1} more" if len(sources) > 1 else ""
    return SourceError(error.path, error.line, f"{error.message} (rendering {sources[0]}{more})")
