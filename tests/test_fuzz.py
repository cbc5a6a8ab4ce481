"""Fuzzing the readers: generated YAML, front matter, Markdown and scenarios
never raise anything but ftsite's own errors, and every error reads
``path[:line]: key: message``."""

from __future__ import annotations

import json
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ROOT, TODAY
from generator.pipeline.content import Page, read_page, render_body
from generator.pipeline.data import parse_data
from generator.engine import Invalid, api
from generator.errors import BuildError
from generator.pipeline.sources import read_sources

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
ERROR = re.compile(r"^[^\s:][^:]*(:\d+)?: \S.*", re.S)
DATA = read_sources(ROOT).data
CATALOG = parse_data(DATA, TODAY).catalog
SESSION = api.Session(json.dumps(parse_data(DATA, TODAY).plain), TODAY)

YAML_BITS = st.sampled_from([
    "offers:", "models:", "gpus:", "  - id: x", "    per_hour: ", "  - ", "[", "]", "{", "}", ": ", "- ",
    "    ", "\t", "&a ", "*a ", "!!python/object:os.system ", "'", '"', "#", "1" * 400, "9999-12-31", "0001-01-01",
    "1.0e-310", "1e309", "-1", "null", "~", "yes", "\n", "\u0000", "\u202e", "\x07", "é", '"\\ud800"', '"\\x07"',
])
yaml_texts = st.lists(YAML_BITS, max_size=40).map("".join)


def _check(errors) -> None:
    for error in errors:
        assert ERROR.match(str(error)), str(error)
        assert "Traceback" not in str(error)


@SETTINGS
@given(text=yaml_texts, name=st.sampled_from(sorted(DATA)))
def test_any_data_file_text_is_read_or_refused_cleanly(text, name):
    try:
        parse_data({**DATA, name: text}, TODAY)
    except BuildError as error:
        _check(error.errors)


@SETTINGS
@given(front=yaml_texts, body=st.text(max_size=400))
def test_any_page_is_read_or_refused_cleanly(front, body):
    text = f"---\n{front}\n---\n{body}"
    try:
        page = read_page("content/fuzz.md", text)
    except BuildError as error:
        _check(error.errors)
        return
    try:
        render_body(page, text, "/")
    except BuildError as error:
        _check(error.errors)


MARKDOWN_BITS = st.sampled_from(["- ", "  ", "> ", "1. ", "```", "[x](/nowhere/)", "[^1]", "[^1]: n", "|a|b|",
                                 "|-|-|", "::: figures x", ":::", "<script>", "#", "*", "_", "\n", "\n\n", "text"])


@SETTINGS
@given(bits=st.lists(MARKDOWN_BITS, max_size=200))
def test_any_markdown_renders_or_is_refused_cleanly(bits):
    page = Page(source="content/fuzz.md", url="fuzz/", title="F", description="F", template="page.html")
    try:
        body = render_body(page, "".join(bits), "/")
    except BuildError as error:
        _check(error.errors)
        return
    assert "<script>" not in body.html


values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=12), children, max_size=3),
    max_leaves=12)
KEYS = st.sampled_from(sorted(api.scenario.FIELDS) + ["answers.corpus_documents", "colour", "training", ""])


@SETTINGS
@given(scenario=st.dictionaries(KEYS, values, max_size=6) | values)
def test_any_scenario_is_computed_or_refused_by_key(scenario):
    try:
        result = api.evaluate(CATALOG, scenario)
    except Invalid as invalid:
        for problem in invalid.problems:
            assert str(problem) and (not problem.path or ": " in str(problem)), str(problem)
        return
    json.dumps(result, allow_nan=False)  # every figure finite


@SETTINGS
@given(fields=st.dictionaries(KEYS, st.text(max_size=30), max_size=8))
def test_any_form_is_answered_with_field_messages(fields):
    reply = json.loads(SESSION.handle(json.dumps({"fields": fields})))
    json.dumps(reply, allow_nan=False)
    assert set(reply["errors"]) <= set(api.scenario.FIELDS)
