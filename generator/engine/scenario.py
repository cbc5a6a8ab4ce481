"""The scenario: the public vocabulary of ftsite.

A dotted key such as ``training.examples`` is at once a key in a scenario file,
the name of a form field, a URL query parameter and an engine input. This
table is the one place that says what each key accepts, so a value is judged
the same way whether it came from YAML, JSON, a form or a shared link.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote

from . import fields as f
from .fields import Bad
from .model import GOALS, Catalog
from .problems import Invalid, Path, Problem


@dataclass(frozen=True)
class Field:
    key: str
    kind: str  # flag | whole | number | span | goal | offer | model
    minimum: float = 0
    maximum: float | None = None
    optional: bool = False  # may stay unset; the engine then works it out


def _fields(*items: Field) -> dict[str, Field]:
    return {item.key: item for item in items}


FIELDS = _fields(
    Field("answers.tried_prompting", "flag"),
    Field("answers.quality_ok", "flag"),
    Field("answers.knowledge_problem", "flag", optional=True),
    Field("answers.behavior_resisted", "flag"),
    Field("answers.cost_binding", "flag"),
    Field("answers.has_eval_set", "flag"),
    Field("answers.knowledge_changes_often", "flag"),
    Field("answers.needs_citations", "flag"),
    Field("answers.corpus_documents", "whole", 0, 10_000_000_000),
    Field("answers.goal", "goal"),
    Field("training.offer", "offer"),
    Field("training.examples", "whole", 1, 100_000_000),
    Field("training.tokens_per_example", "whole", 1, 1_000_000),
    Field("training.epochs", "whole", 1, 100),
    Field("training.runs", "whole", 1, 1_000),
    Field("training.validation_tokens", "whole", 0, 100_000_000_000),
    Field("usage.requests_per_month", "whole", 0, 1_000_000_000_000),
    Field("usage.input_tokens", "whole", 0, 10_000_000),
    Field("usage.output_tokens", "whole", 0, 10_000_000),
    Field("usage.rag_context_tokens", "whole", 0, 10_000_000),
    Field("usage.tuned_input_tokens", "whole", 0, 10_000_000, optional=True),
    Field("usage.baseline_model", "model"),
    Field("usage.tuned_model", "model", optional=True),
    Field("prices.train_per_1m", "span", 0, 10_000, optional=True),
    Field("prices.baseline_input_per_1m", "number", 0, 10_000, optional=True),
    Field("prices.baseline_output_per_1m", "number", 0, 10_000, optional=True),
    Field("prices.tuned_input_per_1m", "number", 0, 10_000, optional=True),
    Field("prices.tuned_output_per_1m", "number", 0, 10_000, optional=True),
    Field("horizon.months", "whole", 1, 120),
)


def check_value(field: Field, value: object, catalog: Catalog) -> object:
    """A plain value (from YAML or JSON) checked against its field."""
    kind = field.kind
    if kind == "flag":
        return f.flag(value)
    if kind == "whole":
        return f.whole(value, int(field.minimum), int(field.maximum))
    if kind == "number":
        return f.number(value, field.minimum, field.maximum)
    if kind == "span":
        return list(f.span(value, field.maximum))
    if kind == "goal":
        return f.choice(value, GOALS)
    known = catalog.offers if kind == "offer" else catalog.models
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
    for key, (value, path) in flatten(data, problems, base).items():
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


def read_defaults(catalog: Catalog, data: object) -> dict:
    """The catalog's default scenario: every key that is not optional must be set."""
    values, problems = read_values(catalog, data, ("scenario",))
    for key, field in FIELDS.items():
        if key not in values and not field.optional and not any(p.path[1:] == tuple(key.split(".")) for p in problems):
            problems.append(Problem(("scenario",) + tuple(key.split(".")), "is required in the default scenario"))
    if problems:
        raise Invalid(problems)
    problems = cross_checks(catalog, values)
    if problems:
        raise Invalid([Problem(("scenario",) + p.path, p.message) for p in problems])
    return {key: values.get(key) for key in FIELDS}


def complete(catalog: Catalog, data: object) -> dict:
    """A reader's scenario over the catalog's defaults; raises Invalid naming keys."""
    given, problems = read_values(catalog, data)
    if problems:
        raise Invalid(problems)
    values = {**catalog.defaults, **given}
    if "training.offer" in given and "usage.tuned_model" not in given:
        values["usage.tuned_model"] = None  # the new offer's own model, not the old default
    problems = cross_checks(catalog, values)
    if problems:
        raise Invalid(problems)
    return values


def cross_checks(catalog: Catalog, values: dict) -> list[Problem]:
    """Checks that need more than one key: models the offer can tune, prices that exist."""
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
    return problems


def query_string(catalog: Catalog, values: dict) -> str:
    """The URL query of a scenario: only what differs from the defaults, in table order."""
    pairs = []
    for key, field in FIELDS.items():
        value = values.get(key)
        if value != catalog.defaults.get(key) and value is not None:
            pairs.append(f"{key}={quote(as_text(field, value), safe='-_.~,')}")
    return "&".join(pairs)


def read_text_fields(catalog: Catalog, texts: dict) -> tuple[dict, dict[str, str]]:
    """Form or URL fields {key: text} -> (given values, {key: message}) for the page."""
    given: dict = {}
    errors: dict[str, str] = {}
    for key, text in texts.items():
        field = FIELDS.get(key)
        if field is None or not isinstance(text, str):
            continue  # foreign query parameters are not ours to judge
        try:
            value = parse_text(field, text, catalog)
        except Bad as error:
            errors[key] = str(error)
            continue
        if value is not None:
            given[key] = value
    return given, errors
