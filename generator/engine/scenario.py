"""The scenario: reading the public vocabulary of ftsite.

A dotted key such as ``training.examples`` is at once a key in a scenario file,
the name of a form field, a URL query parameter and an engine input. The
table of keys (vocabulary.FIELDS) says what each accepts; this module judges
a value the same way whether it came from YAML, JSON, a form or a shared link.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from . import fields as f
from .fields import Bad
from .model import GOALS, Catalog
from .problems import Invalid, Path, Problem
from .vocabulary import ALIASES, FIELDS, Field


def check_value(field: Field, value: object, catalog: Catalog) -> object:
    """A plain value (from YAML or JSON) checked against its field."""
    kind = field.kind
    if kind == "flag":
        return f.flag(value)
    if kind == "whole":
        return f.whole(value, int(field.minimum), int(field.maximum))
    if kind in ("number", "share"):
        return f.number(value, field.minimum, field.maximum)
    if kind == "span":
        low, high = f.span(value, field.maximum)
        if field.whole and not (float(low).is_integer() and float(high).is_integer()):
            raise Bad(f"must be whole numbers, got {f.format_plain(low)}-{f.format_plain(high)}")
        return [low, high]
    if kind == "goal":
        return f.choice(value, GOALS)
    if kind == "date":
        return f.iso_date(value)
    known = {"offer": catalog.offers, "model": catalog.models, "store": catalog.rag.vector_stores}[kind]
    kind = "vector store" if kind == "store" else kind
    if not isinstance(value, str) or value not in known:
        raise Bad(f"must be one of the catalog's {kind}s ({', '.join(known)}), got {f.describe(value)}")
    return value


def parse_text(field: Field, text: str, catalog: Catalog) -> object:
    """A form or URL value (always text) -> checked value; '' means unset."""
    text = text.strip()
    if not text:
        return None
    kind = field.kind
    if kind == "flag":
        lowered = text.lower()
        if lowered in ("true", "yes", "on", "1"):
            return True
        if lowered in ("false", "no", "off", "0"):
            return False
        raise Bad(f"must be yes or no, got {f.describe(text)}")
    if kind in ("whole", "number"):
        return check_value(field, _number_text(text), catalog)
    if kind == "share":
        percent = text.endswith("%")
        value = _number_text(text[:-1] if percent else text)
        if percent and isinstance(value, (int, float)):
            value = value / 100
        return check_value(field, value, catalog)
    if kind == "span":
        parts = re.split(r"\s*(?:–|—|\bto\b|(?<=\d)-)\s*", text)
        return check_value(field, [_number_text(p) for p in parts] if len(parts) == 2 else _number_text(text), catalog)
    return check_value(field, text, catalog)


def _number_text(text: str) -> object:
    """'50,000' and '50_000' read as 50000; what is not a number stays text."""
    cleaned = text.replace(",", "").replace("_", "").replace("$", "").strip()
    try:
        return int(cleaned)
    except ValueError:
        pass
    try:
        return float(cleaned)
    except ValueError:
        return text


def as_text(field: Field, value: object) -> str:
    """The form and URL spelling of a value; ``parse_text`` reads it back."""
    if value is None:
        return ""
    if field.kind == "flag":
        return "true" if value else "false"
    if field.kind == "span":
        low, high = value
        return f.format_plain(low) if low == high else f"{f.format_plain(low)}-{f.format_plain(high)}"
    if isinstance(value, float):
        return f.format_plain(value)
    return str(value)


def flatten(data: object, problems: list[Problem], path: Path = ()) -> dict[str, tuple[object, Path]]:
    """Nested or dotted mappings -> {dotted key: (value, where it was written)}."""
    if not isinstance(data, dict):
        problems.append(Problem(path, f"must be a mapping, got {f.describe(data)}"))
        return {}
    flat: dict[str, tuple[object, Path]] = {}
    for key, value in data.items():
        key = str(key)
        full = ".".join(str(p) for p in path[_prefix_length(path):] + (key,))
        if isinstance(value, dict) and full not in FIELDS:
            flat.update(flatten(value, problems, path + (key,)))
        else:
            flat[full] = (value, path + (key,))
    return flat


def _prefix_length(path: Path) -> int:
    """Paths inside the catalog start with 'scenario'; that is not part of a key."""
    return 1 if path[:1] == ("scenario",) else 0


def read_values(catalog: Catalog, data: object, base: Path = ()) -> tuple[dict, list[Problem]]:
    """A scenario (nested or dotted) -> ({key: value}, problems), without defaults."""
    problems: list[Problem] = []
    values: dict = {}
    flat = flatten(data, problems, base)
    for key, (value, path) in flat.items():
        if key in ALIASES:
            if ALIASES[key] in flat:
                problems.append(Problem(path, f"is the old name of {ALIASES[key]}; give only {ALIASES[key]}",
                                        at_key=True))
                continue
            key = ALIASES[key]
        field = FIELDS.get(key)
        if field is None:
            problems.append(Problem(path, f"unknown key (see the scenario keys: {_sections()})", at_key=True))
        elif value is not None:
            try:
                values[key] = check_value(field, value, catalog)
            except Bad as error:
                problems.append(Problem(path, str(error)))
    return values, problems


def _sections() -> str:
    return ", ".join(sorted({key.split(".")[0] + ".*" for key in FIELDS}))


def read_defaults(catalog: Catalog, data: object, today: str, strict: bool = True) -> dict:
    """The catalog's default scenario: every key that is not optional must be
    set, and its offer must be one a new team can buy on ``today`` (the
    build date, which is also where the default horizon starts)."""
    values, problems = read_values(catalog, data, ("scenario",))
    for key, field in FIELDS.items():
        if key not in values and not field.optional and not any(p.path[1:] == tuple(key.split(".")) for p in problems):
            problems.append(Problem(("scenario",) + tuple(key.split(".")), "is required in the default scenario"))
    if problems:
        raise Invalid(problems)
    values.setdefault("horizon.start", today)
    problems = cross_checks(catalog, values, set())
    offer = catalog.offers[values["training.offer"]]
    if strict and not offer.open_to_new_customers(values["horizon.start"]):
        problems.append(Problem(("training", "offer"), f"{offer.id} is closed to new customers on "
                                f"{values['horizon.start']}: the default must be an offer a new team can buy"))
    if problems:
        raise Invalid([Problem(("scenario",) + p.path, p.message) for p in problems])
    return {key: values.get(key) for key in FIELDS}


def defaults_on(catalog: Catalog, today: str | None) -> dict:
    """The default scenario as a reader on ``today`` has it: the horizon starts
    on their own date, unless the catalog fixes one."""
    if today is None or catalog.defaults.get("horizon.start") != catalog.build_date:
        return catalog.defaults
    return {**catalog.defaults, "horizon.start": today}


def complete(catalog: Catalog, data: object, today: str | None = None) -> dict:
    """A reader's scenario over the defaults; raises Invalid naming keys."""
    given, problems = read_values(catalog, data)
    if problems:
        raise Invalid(problems)
    values = {**defaults_on(catalog, today), **given}
    if "training.offer" in given and "usage.tuned_model" not in given:
        values["usage.tuned_model"] = None  # the new offer's own model, not the old default
    problems = cross_checks(catalog, values, set(given))
    if problems:
        raise Invalid(problems)
    return values


def cross_checks(catalog: Catalog, values: dict, given: set) -> list[Problem]:
    """Checks that need more than one key: models the offer can tune, prices
    that exist, token counts that are parts of others. A problem names the
    key the reader set, so the message lands beside the field they changed."""
    problems = []
    offer = catalog.offers[values["training.offer"]]
    tuned = values.get("usage.tuned_model")
    if tuned is not None and tuned not in offer.models:
        problems.append(Problem(("usage", "tuned_model"),
                                f"{offer.name} does not tune {tuned!r} (it tunes: {', '.join(offer.models)})"))
    baseline = catalog.models[values["usage.baseline_model"]]
    overridden = values.get("prices.baseline_input_per_1m") is not None and \
        values.get("prices.baseline_output_per_1m") is not None
    if baseline.price is None and not overridden:
        problems.append(Problem(("usage", "baseline_model"),
                                f"{baseline.name} has no price in the catalog; pick a priced model "
                                "or give prices.baseline_input_per_1m and prices.baseline_output_per_1m"))
    problem = _within_input(values, given)
    if problem:
        problems.append(problem)
    drawn_input = values.get("uncertainty.input_tokens")
    parts = sum(values[k] for k in PARTS_OF_INPUT)
    if drawn_input is not None and drawn_input[0] < parts:
        problems.append(Problem(("uncertainty", "input_tokens"),
                                f"must start at least at usage.cached_input_tokens + usage.query_tokens ({parts:,}): "
                                f"the repeated prefix and the question are parts of every input, got "
                                f"{f.format_plain(drawn_input[0])}"))
    own_cached, own_input = values.get("prices.baseline_cached_input_per_1m"), values.get("prices.baseline_input_per_1m")
    listed_input = baseline.price and baseline.price.input_per_1m
    top = own_input or listed_input
    if own_cached is not None and top is not None and own_cached[1] > top[1]:
        problems.append(Problem(("prices", "baseline_cached_input_per_1m"),
                                f"must be at most the input price ({_dollars(top[1])} per 1M): a cached token never "
                                f"costs more than an uncached one, got {_dollars(own_cached[1])}"))
    return problems


def _dollars(value: float) -> str:
    return f"${f.format_plain(value)}"


PARTS_OF_INPUT = ("usage.cached_input_tokens", "usage.query_tokens")


def _within_input(values: dict, given: set) -> Problem | None:
    """The repeated prefix and the user's question are both parts of the
    input; the message goes to a key the reader set, so it lands beside the
    field they changed."""
    cached, query, inp = (values[k] for k in PARTS_OF_INPUT + ("usage.input_tokens",))
    if cached + query <= inp:
        return None
    parts = f"usage.cached_input_tokens + usage.query_tokens ({cached:,} + {query:,})"
    blame = next((k for k in ("usage.query_tokens", "usage.cached_input_tokens") if k in given), None)
    if blame is None and "usage.input_tokens" in given:
        return Problem(("usage", "input_tokens"), f"must be at least {parts}: the repeated prefix and the question "
                                                  f"are parts of the input, got {inp:,}")
    key = blame or "usage.cached_input_tokens"
    return Problem(tuple(key.split(".")), f"the repeated prefix and the question are parts of the input, so "
                                          f"{parts} must be at most usage.input_tokens ({inp:,})")


def query_string(defaults: dict, values: dict) -> str:
    """The URL query of a scenario: only what differs from the defaults, in table order."""
    pairs = []
    for key, field in FIELDS.items():
        value = values.get(key)
        if value != defaults.get(key) and value is not None:
            pairs.append(f"{key}={quote(as_text(field, value), safe='-_.~,')}")
    return "&".join(pairs)


def read_text_fields(catalog: Catalog, texts: dict) -> tuple[dict, dict[str, str]]:
    """Form or URL fields {key: text} -> (given values, {key: message}) for the page."""
    given: dict = {}
    errors: dict[str, str] = {}
    for key, text in texts.items():
        if key in ALIASES and ALIASES[key] not in texts:
            key = ALIASES[key]  # an old shared link
        field = FIELDS.get(key)
        if field is None or not isinstance(text, str):
            continue  # foreign query parameters are not ours to judge
        if not text.strip() and not field.optional:
            errors[key] = "needs a value: empty does not mean the default here"
            continue
        try:
            value = parse_text(field, text, catalog)
        except Bad as error:
            errors[key] = str(error)
            continue
        if value is not None:
            given[key] = value
    return given, errors
