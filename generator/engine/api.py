"""The engine's boundary: plain values in, plain JSON values out.

``evaluate`` serves the build and ``ftsite eval``; ``Session`` serves the
browser, where values arrive as form text and leave as one JSON string, so
the page never holds a Python object past a call. Both take the day the
horizon starts from: the build date for the pages, the reader's own date in
the browser.
"""

from __future__ import annotations

import json
from dataclasses import replace

from . import display, fields, scenario
from .catalog import read_catalog
from .cost import OPTIONS, PARTS  # noqa: F401 - the vocabulary of cost parts, for the host
from .model import Catalog
from .prices import tuned_model
from .problems import Invalid, dotted
from .record import decision_record, file_stem, record_csv, record_json
from .result import compute
from .trainfile import TrainingFile
from .vocabulary import DATA_VERSION_KEY


def load_catalog(data: object, today: str, strict: bool = True) -> Catalog:
    """The catalog with its default scenario as of ``today`` (the build date);
    raises Invalid with every problem. ``strict``: the default offer must be
    open to new customers then (the build checks it; the browser, reading a
    site built earlier, does not)."""
    catalog = replace(read_catalog(data), build_date=today)
    return replace(catalog, defaults=scenario.read_defaults(catalog, data.get("scenario"), today, strict))


def evaluate(catalog: Catalog, data: object = None, today: str | None = None, extras: bool = True) -> dict:
    """A scenario (nested or dotted keys, all optional) -> the result;
    ``extras=False`` leaves out the Monte Carlo, the flips and the charts
    they draw, as a point reply does."""
    s = scenario.complete(catalog, data if data is not None else {}, today)
    return compute(catalog, s, scenario.defaults_on(catalog, today), extras)


def respond(catalog: Catalog, texts: dict, today: str | None = None, extras: bool = True) -> dict:
    """Form or URL text -> result, display texts, a message per bad field, and
    the keys that are no setting of this calculator (``unknown``).

    A bad field never stops the page: it is reported, left at its default,
    and everything else is computed as asked; the page decides whether to
    show figures that rest on a default the reader did not choose.
    """
    s, errors = readable(catalog, texts, today)
    result = compute(catalog, s, scenario.defaults_on(catalog, today), extras)
    unknown = sorted(key for key in texts
                     if key not in scenario.FIELDS and key not in scenario.ALIASES and key != DATA_VERSION_KEY)
    return {"result": result, "display": display.flat(result), "errors": errors, "unknown": unknown}


def readable(catalog: Catalog, texts: dict, today: str | None) -> tuple[dict, dict]:
    """(the scenario, {key: message}): every field that can be read, the
    defaults for the rest."""
    given, errors = scenario.read_text_fields(catalog, texts)
    while True:
        try:
            return scenario.complete(catalog, given, today), errors
        except Invalid as invalid:
            dropped = False
            for problem in invalid.problems:
                key = dotted(problem.path)
                errors.setdefault(key, problem.message)
                dropped = given.pop(key, None) is not None or dropped
            if not dropped:
                raise  # only the defaults are left, and the catalog vouched for them


def training_file(catalog: Catalog, texts: dict, today: str | None = None) -> TrainingFile:
    """A reader for a training file, held to the context of the model the
    scenario tunes."""
    s, _errors = readable(catalog, texts, today)
    model = catalog.models.get(tuned_model(catalog, s))
    return TrainingFile(model.context_tokens, model.name) if model else TrainingFile()


class Session:
    """What the browser's worker holds: the catalog, checked once at start-up."""

    def __init__(self, catalog_json: str, built: str):
        """``built``: the site's build date, where the default horizon starts."""
        self.catalog = load_catalog(json.loads(catalog_json), built, strict=False)

    def handle(self, request_json: str) -> str:
        """{"fields": {key: text}, "today": "YYYY-MM-DD", "phase": "point" or "full"} -> the reply as
        JSON. "point" leaves out the Monte Carlo and the flips, for the page
        to show at once and ask the "full" reply for next."""
        request = json.loads(request_json)
        today = _today(request)
        extras = request.get("phase") != "point"
        return json.dumps(respond(self.catalog, request.get("fields") or {}, today, extras), sort_keys=True)

    def record(self, request_json: str) -> str:
        """{"fields", "today", "data_version", "address"} -> {"json", "csv",
        "stem", "errors"}: the decision record of that scenario, in both
        forms, a file name for it, and the fields it could not read (the page
        offers no record of a scenario the reader did not ask for)."""
        request = json.loads(request_json)
        made_on = _today(request) or self.catalog.build_date
        replied = respond(self.catalog, request.get("fields") or {}, made_on)
        result = replied["result"]
        kept = decision_record(result, str(request.get("data_version") or ""), made_on, str(request.get("address") or ""))
        return json.dumps({"json": record_json(kept), "csv": record_csv(kept), "errors": replied["errors"],
                           "stem": file_stem(made_on, result["recommendation"]["option"])})

    def training_file(self, request_json: str) -> "ReadingFile":
        """{"fields", "today"} -> a reader the worker feeds the file's text to."""
        request = json.loads(request_json)
        return ReadingFile(training_file(self.catalog, request.get("fields") or {}, _today(request)))


class ReadingFile:
    """A training file being read, as the worker holds it: text in, JSON out."""

    def __init__(self, reader: TrainingFile):
        self.reader = reader

    def feed(self, data) -> None:
        """``data``: bytes, or in Pyodide the worker's Uint8Array (copied once, here)."""
        self.reader.feed(data.to_bytes() if hasattr(data, "to_bytes") else data)

    def finish(self) -> str:
        return json.dumps(self.reader.finish(), sort_keys=True)


def _today(request: dict) -> str | None:
    try:
        return fields.iso_date(request.get("today"))
    except fields.Bad:
        return None
