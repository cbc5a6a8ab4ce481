"""``ftsite eval``: a scenario file in, the engine's verdict and costs out.

The scenario is read the way data files are (YAML with line marks, or JSON),
so a bad value is reported as ``scenario.yaml:7: training.examples: ...``.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ..pipeline import marked
from ..pipeline.data import parse_data
from ..engine import api, display
from ..engine.cost import PARTS
from ..engine.problems import Invalid, dotted
from ..engine.vocabulary import OPTION_LABELS, PART_LABELS, RESULT_LABELS
from ..errors import BuildError, SourceError
from ..pipeline.sources import read_data, utf8_text
from . import build_date



def run(args: argparse.Namespace) -> int:
    result = evaluate_file(args.project.resolve(), args.scenario, build_date(args).isoformat())
    print(json.dumps(result, indent=2, sort_keys=True) if args.json else summary(result))
    return 0


def evaluate_file(root: Path, name: str, today: str) -> dict:
    """The result for scenario file ``name`` ('-' for stdin) as of ``today``; raises BuildError."""
    text, label = _read(name)
    lines = None
    if name.endswith(".json") or (name == "-" and text.lstrip().startswith("{")):
        scenario = _json(text, label)
    else:
        try:
            scenario, lines = marked.load(text, label)
        except marked.YamlError as error:
            raise BuildError([error.error]) from None
    catalog = parse_data(read_data(root), today).catalog
    try:
        return api.evaluate(catalog, scenario if scenario is not None else {})
    except Invalid as invalid:
        raise BuildError([SourceError(label, lines.line(p.path, p.at_key) if lines else None,
                                      f"{dotted(p.path)}: {p.message}") for p in invalid.problems]) from None


MAX_DIGITS = 40  # as for YAML: a longer figure is a typo, and past 4,300 digits Python refuses it


class _TooLong(ValueError):
    def __init__(self, digits: str):
        self.digits = digits


def _json(text: str, label: str) -> object:
    """JSON with its nesting and its numbers bounded, errors as file:line."""
    def number(kind):
        def read(digits: str):
            if sum(c.isdigit() for c in digits) > MAX_DIGITS:
                raise _TooLong(digits)
            return kind(digits)
        return read

    try:
        return json.loads(text, parse_int=number(int), parse_float=number(float))
    except json.JSONDecodeError as error:
        raise BuildError([SourceError(label, error.lineno, f"not valid JSON: {error.msg}")]) from None
    except _TooLong as error:
        line = text[: text.find(error.digits)].count("\n") + 1
        count = sum(c.isdigit() for c in error.digits)
        raise BuildError([SourceError(label, line, f"not valid JSON: a number of {count:,} digits is too long to read")]) from None
    except RecursionError:
        raise BuildError([SourceError(label, None, "nested too deeply to read")]) from None


def _read(name: str) -> tuple[str, str]:
    if name == "-":
        return sys.stdin.read(), "<stdin>"
    try:
        data = Path(name).read_bytes()
    except OSError as error:
        raise BuildError([SourceError(name, None, f"cannot read the scenario: {error.strerror or error}")]) from None
    return utf8_text(data, name), name


def summary(result: dict) -> str:
    """The result as a few readable paragraphs for a terminal."""
    shown = display.flat(result)
    rec = result["recommendation"]
    out = [f"Recommendation: {rec['title']}", "", "Path:"]
    out += [f"  {i}. {item['text']}" for i, item in enumerate(shown["recommendation.path"], 1)]
    out += ["", "Why:"] + [f"  - {item['text']}" for item in shown["recommendation.reasons"]]
    if rec["warnings"]:
        out += ["", "Warnings:"] + [f"  ! [{w['id']}] {w['text']}" for w in rec["warnings"]]
    out += ["", f"Base models for {rec['goal'].lower()}: " + ", ".join(m["name"] for m in rec["base_models"])]
    runs = f"{result['training']['runs']} runs"
    out += ["", f"Training on {result['training']['offer_name']}:"]
    facts = [(RESULT_LABELS[key], key) for key in ("training.epochs", "training.tokens", "training.price_per_1m_usd",
                                                   "training.cost_per_run_usd")]
    facts += [(runs, "training.total_usd")]
    facts += [(RESULT_LABELS[key], key) for key in ("training.eval_per_run_usd", "training.labelling_usd")]
    out += [f"  {label:<22} {shown[key]}" for label, key in facts]
    return "\n".join(out + _cost_tables(result, shown))


def _cost_tables(result: dict, shown: dict) -> list[str]:
    months = result["costs"]["months"]
    wide = 18
    out = ["", f"{'Costs':<18}{'one-time':>{wide}}{'per month':>{wide}}{'per request':>{wide}}"
               f"{f'over {months} months':>{wide}}"]
    for key, label in OPTION_LABELS.items():
        out.append(f"  {label:<16}" + "".join(f"{shown[f'costs.{figure}.{key}']:>{wide}}" for figure in (
            "one_time_usd", "monthly_usd", "per_request_usd", "horizon_usd")))
    out += ["", f"{f'Over {months} months, by part':<44}" + "".join(f"{label:>{wide}}" for label in
                                                                      OPTION_LABELS.values())]
    for part, label in PART_LABELS.items():
        cells = [shown[f"costs.parts_usd.{key}.{part}"] if part in PARTS[key] else "-" for key in OPTION_LABELS]
        out.append(f"  {label:<42}" + "".join(f"{cell:>{wide}}" for cell in cells))
    out += [""] + [f"{RESULT_LABELS[key]}: {shown[key]}" for key in ("serving.replicas", "break_even.requests_per_month",
                                                                      "break_even.fine_tune_rag")]
    out += ["", f"{'Latency (an estimate)':<18}{'model':>{wide + 6}}{'first token':>{wide}}{'whole answer':>{wide}}"]
    for key, label in OPTION_LABELS.items():
        out.append(f"  {label:<16}" + "".join(f"{shown[f'latency.{key}.{figure}']:>{width}}" for figure, width in (
            ("model", wide + 6), ("first_token_s", wide), ("last_token_s", wide))))
    out += [f"  {item['text']}" for item in shown["latency.notes"]]
    if result["query"]:
        out += [f"Share it: /costs/?{result['query']}"]
    return out
