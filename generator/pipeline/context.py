"""The template context: the names templates can use, from the site model.

Kept apart from render.py so that what a template may call is one short list;
render.py adds the per-page names (page, body, headings, asset).
"""

from __future__ import annotations

import hashlib

from markupsafe import Markup

from ..engine import api, chart, display, prices, scenario, vocabulary
from ..bundle.policy import CSP
from ..bundle.prices import data_version, price_rows
from ..engine.model import Catalog, Offer
from .site import Site

def fingerprints(site: Site, names: dict) -> dict[str, str]:
    """A digest per template name that changes whenever what the name holds
    can: its value's for plain values; for a function, its code and the
    values it closes over. (A module-level function's answer depends on its
    arguments alone, which a template gets through other names.) Two builds
    render a page again exactly where a name it read changed: a price edit
    reaches the pages that show prices, not every page that makes a link."""
    seen: dict[int, str] = {}

    def held(value) -> str:
        if id(value) not in seen:
            seen[id(value)] = repr(value)
        return seen[id(value)]

    def digest(value) -> str:
        if callable(value) and hasattr(value, "__code__"):
            cells = [held(cell.cell_contents) for cell in value.__closure__ or ()]
            return _digest(value.__module__, value.__code__.co_qualname, *cells, repr(value.__defaults__))
        return _digest(held(value))

    return {name: digest(value) for name, value in names.items()}


def _digest(*parts: str) -> str:
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


def template_globals(site: Site) -> dict:
    """Names every template can use besides ``page``, ``body``, ``headings`` and ``asset``."""
    base = site.base_url
    catalog = site.data.catalog

    def url(path: str = "") -> str:
        """A site-relative path under the base URL: url("costs/") -> /guide/costs/."""
        return base + path.lstrip("/")

    public = site.public_url

    def absolute(path: str = "") -> str:
        """The public address of a site-relative path, for canonical links, feeds and sitemaps."""
        return public + path.lstrip("/")

    result = site.result
    defaults = {key: scenario.as_text(field, catalog.defaults.get(key)) for key, field in vocabulary.FIELDS.items()}
    if catalog.defaults.get("horizon.start") == catalog.build_date:
        defaults["horizon.start"] = ""  # empty: the reader's own date, not the build's
    return {
        "chart_svg": lambda key: Markup(chart.to_svg(display.at(result, key))),
        "change_anchor": _anchors(catalog),
        "change_summary": _change_summary,
        "price_histories": lambda: _price_histories(catalog),
        "options": _options(catalog),
        # A figure's own scenario, its point figures only: the Monte Carlo and the flips are
        # the calculator's, and leaving them out takes a tenth of the time (a build runs ten)
        "evaluate": lambda values: display.flat(api.evaluate(catalog, values, extras=False)),
        "training_price": lambda offer: _training_price(catalog, offer),
        "tuned_price": lambda offer: _tuned_price(catalog, offer),
        "epochs_text": _epochs_text,
        "availability_text": lambda offer: _availability_text(offer, catalog.build_date),
        "store_price": _store_price,
        "settings": site.data.settings,
        "base_url": base,
        "nav": site.nav,
        "catalog": catalog,
        "result": site.result,
        "shown": site.shown,
        "fields": vocabulary.FIELDS,
        "outcome_titles": vocabulary.OUTCOME_TITLES,
        "answers": vocabulary.ANSWERS,
        "result_labels": vocabulary.RESULT_LABELS,
        "option_labels": vocabulary.OPTION_LABELS,
        "card_facets": vocabulary.CARD_FACETS,
        "aliases": vocabulary.ALIASES,  # old scenario keys a shared link may still carry
        "data_version": data_version(price_rows(site.data.plain)),  # as prices.json names it
        "data_version_key": vocabulary.DATA_VERSION_KEY,
        "chart_marks": vocabulary.CHART_MARKS,
        "part_labels": vocabulary.PART_LABELS,
        "parts": api.PARTS,
        "defaults": defaults,
        "url": url,
        "absolute": absolute,
        "csp": CSP,
        "pages": site.pages,
    }


def _options(catalog: Catalog) -> dict[str, list[tuple[str, str]]]:
    """The choices of each select, in catalog order."""
    tunable = dict.fromkeys(m for offer in catalog.offers.values() for m in offer.models)
    return {
        "answers.goal": [(a.goal, a.title) for a in catalog.advice.values()],
        "training.offer": [(o.id, o.name if o.open_to_new_customers(catalog.build_date) else
                            f"{o.name} (closed to new customers)") for o in catalog.offers.values()],
        "usage.baseline_model": [(m.id, f"{m.name} ({display.money(m.price.input_per_1m)} in, "
                                         f"{display.money(m.price.output_per_1m)} out per 1M)")
                                 for m in catalog.models.values() if m.price],
        "usage.tuned_model": [(m, catalog.models[m].name) for m in tunable],
        "rag.vector_store": [(s.id, s.name) for s in catalog.rag.vector_stores.values()],
    }


def _training_price(catalog: Catalog, offer: Offer) -> str:
    text = display.money(prices.train_price(catalog, offer))
    if offer.training.gpu:
        gpu = catalog.gpus[offer.training.gpu]
        low, high = offer.training.tokens_per_second
        speed = display.count(round(low)) if low == high else f"{display.count(round(low))}–{display.count(round(high))}"
        text += f" ({gpu.name} at {display.money(gpu.per_hour)} an hour, {speed} tokens a second)"
    return text


def _availability_text(offer: Offer, today: str) -> str:
    """Who may start jobs, as of the build date, in words."""
    availability = offer.availability
    if availability is None:
        return "anyone"
    customers, jobs = availability.new_customers_until, availability.new_jobs_until
    if jobs and jobs <= today:
        return f"no one: new jobs stopped on {jobs}"
    if customers and customers <= today:
        return f"existing customers only, since {customers}" + (f"; no new jobs after {jobs}" if jobs else "")
    return f"anyone until {jobs}" if jobs else "anyone"


def _store_price(store) -> str:
    """How a vector store bills, as one phrase."""
    parts = []
    if store.minimum_per_month_usd:
        parts.append(f"at least {display.money(store.minimum_per_month_usd)} a month, usage included")
    if store.per_month_usd:
        parts.append(f"{display.money(store.per_month_usd)} a month")
    if store.read_per_1m_units:
        parts.append(f"reads {display.money(store.read_per_1m_units)} per 1M read units (a query reads "
                     f"{format(store.read_units_per_gb, 'g')} per GB of index, at least "
                     f"{format(store.min_read_units, 'g')})")
    if store.scan_per_tb or store.returned_per_gb:
        parts.append(f"queries {display.money(store.scan_per_tb)} per TB scanned and "
                     f"{display.money(store.returned_per_gb)} per GB returned")
    if store.write_per_1m_units:
        parts.append(f"writes {display.money(store.write_per_1m_units)} per 1M write units (one per "
                     f"{format(store.write_unit_kb, 'g')} KB)")
    if store.write_per_gb:
        parts.append(f"writes {display.money(store.write_per_gb)} per GB")
    if store.dimensions_per_1m_month:
        parts.append(f"{display.money(store.dimensions_per_1m_month)} per 1M stored vector dimensions a month")
    if store.storage_per_gb_month:
        parts.append(f"storage {display.money(store.storage_per_gb_month)} per GB a month")
    return "; ".join(parts) or "free software: the machine it runs on is not counted"


def _epochs_text(epochs) -> str:
    """An offer's default epochs: "3", or its automatic rule in words."""
    if epochs.max_examples_seen is None and epochs.min_examples_seen is None:
        return str(epochs.target)
    limits = []
    if epochs.max_examples_seen:
        limits.append(f"fewer for big datasets, so that at most {display.count(epochs.max_examples_seen)} "
                      "examples are trained on in all")
    if epochs.min_examples_seen:
        limits.append(f"more for tiny ones, up to {epochs.max_epochs}, to reach "
                      f"{display.count(epochs.min_examples_seen)}")
    return f"auto: {epochs.target}, " + "; ".join(limits)


def _tuned_price(catalog: Catalog, offer: Offer) -> str:
    """What running the tuned model costs, as one phrase."""
    inference = offer.inference
    parts = []
    for price in inference.listed.values():
        cached = f", {display.money(price.cached_input_per_1m)} cached" if price.cached_input_per_1m else ""
        parts.append(f"{display.money(price.input_per_1m)} in{cached}, {display.money(price.output_per_1m)} out per 1M")
    if inference.multiplier is not None:
        parts.append(f"{format(inference.multiplier, 'g')}x the base price")
    if inference.batch_discount:
        parts.append(f"batch {display.share(inference.batch_discount)} off")
    if inference.gpu:
        gpu = catalog.gpus[inference.gpu]
        replica = f"{inference.gpus} \u00d7 {gpu.name}" if inference.gpus > 1 else gpu.name
        parts.append(f"whole replicas of {replica} at {display.money(gpu.per_hour)} a GPU-hour, "
                     "as many as the peak load needs")
    if inference.hosting_per_month_usd:
        parts.append(f"{display.money(inference.hosting_per_month_usd)} a month hosting")
    return "; ".join(parts)


def _price_histories(catalog: Catalog) -> list[dict]:
    """A chart per subject whose price the changelog records changing, oldest change first."""
    changes: dict[str, list] = {}
    for change in sorted(catalog.changelog, key=lambda c: c.date):
        if change.old is not None and change.new is not None:
            changes.setdefault(change.subject, []).append(change)
    found = []
    for subject, items in changes.items():
        name = _name(catalog, subject)
        unit = items[-1].unit or "USD"
        figure = chart.price_history_chart([(c.date, c.old, c.new) for c in items], catalog.as_of,
                                           items[-1].what, unit)
        found.append({"subject": subject, "name": name, "title": figure["title"], "unit": unit,
                      "svg": Markup(chart.to_svg(figure)), "desc": figure["desc"]})
    return found


def _name(catalog: Catalog, subject: str) -> str:
    for table in (catalog.offers, catalog.models, catalog.gpus, catalog.providers):
        if subject in table:
            return table[subject].name
    return subject


def _anchors(catalog: Catalog):
    """A stable, readable id for every changelog entry: change-<date>-<subject>,
    then -2, -3 ... for entries of one day and subject. Keyed by the entry
    itself, not its value, so two identical entries get two ids."""
    found: dict[int, str] = {}
    taken: set[str] = set()
    counts: dict[str, int] = {}
    for change in catalog.changelog:
        base = f"change-{change.date}-{change.subject}"
        count = counts.get(base, 0)
        anchor = base
        while anchor in taken:
            count += 1
            anchor = f"{base}-{count + 1}" if count else base
        counts[base] = count
        taken.add(anchor)
        found[id(change)] = anchor
    return _Anchors(found)


class _Anchors:
    """change -> its anchor. Its fingerprint is the anchors in changelog
    order: what it answers, not the identities of this build's entries."""

    def __init__(self, found: dict[int, str]):
        self.found = found

    def __call__(self, change) -> str:
        return self.found[id(change)]

    def __repr__(self) -> str:
        return repr(list(self.found.values()))


def _change_summary(change) -> str:
    price = ""
    if change.old is not None and change.new is not None:
        price = f"{display.money(change.old)} to {display.money(change.new)}{f' ({change.unit})' if change.unit else ''}. "
    return f"{change.what}: {price}{change.note}"
