"""``ftsite check --drift FILE``: the catalog against a price list on disk, in
LiteLLM's format (USD per token), matched only through each row's aliases."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import ROOT, run_ftsite


def line_of(path: Path, text: str, after: str = "") -> int:
    """The line of the first ``text`` after the first ``after`` in ``path``."""
    content = path.read_text()
    return content[: content.index(text, content.index(after))].count("\n") + 1


@pytest.fixture(scope="module")
def price_list(tmp_path_factory) -> Path:
    """A small list in LiteLLM's format: one price moved, one deprecation the
    catalog lacks, one tuned price moved, rows that match, and rows no alias names."""
    rows = {
        "sample_spec": {"input_cost_per_token": 0, "output_cost_per_token": 0, "deprecation_date": "date"},
        "gpt-4o": {"input_cost_per_token": 3.0e-06, "output_cost_per_token": 1.0e-05,
                   "cache_read_input_token_cost": 1.25e-06, "litellm_provider": "openai", "mode": "chat",
                   "deprecation_date": "2027-01-14"},
        "gpt-4o-mini": {"input_cost_per_token": 1.5e-07, "output_cost_per_token": 6.0e-07,
                        "cache_read_input_token_cost": 7.5e-08},
        "claude-sonnet-5-5": {"input_cost_per_token": 2.0e-06, "output_cost_per_token": 1.0e-05,
                              "cache_read_input_token_cost": 1.5e-07, "deprecation_date": "2027-10-01"},
        "ft:gpt-4.1-2025-04-14": {"input_cost_per_token": 3.0e-06, "output_cost_per_token": 1.6e-05,
                                  "cache_read_input_token_cost": 7.5e-07},
        "some-model-nobody-aliases": {"input_cost_per_token": 1.0, "output_cost_per_token": 1.0},
    }
    path = tmp_path_factory.mktemp("drift") / "model_prices_and_context_window.json"
    path.write_text(json.dumps(rows, indent=2))
    return path


@pytest.fixture(scope="module")
def reported(price_list: Path):
    return run_ftsite("check", "--project", str(ROOT), "--drift", str(price_list))


def test_each_difference_is_reported_at_the_catalog_s_line(reported):
    assert reported.code == 0, reported.err  # information, not an error
    models, offers = ROOT / "data" / "models.yaml", ROOT / "data" / "offers.yaml"
    drift = sorted(line for line in reported.out.splitlines() if line.startswith("drift: "))
    assert drift == sorted([
        f"drift: data/models.yaml:{line_of(models, 'input_per_1m', '- id: gpt-4o')}: gpt-4o.price.input_per_1m: "
        "ours 2.50 (as_of 2026-08-06) vs list 3.00 (gpt-4o)",
        f"drift: data/models.yaml:{line_of(models, '- id: claude-sonnet-5-5')}: claude-sonnet-5-5.retires: "
        "ours none vs list 2027-10-01 (claude-sonnet-5-5)",
        f"drift: data/offers.yaml:{line_of(offers, 'gpt-4.1: {', '- id: openai-gpt-4.1')}: "
        "openai-gpt-4.1.inference.listed.gpt-4.1.output_per_1m: ours 12.00 (as_of 2026-08-06) vs list 16.00 "
        "(ft:gpt-4.1-2025-04-14)",
    ]), reported.out
    assert "ftsite check: 3 difference(s) in the 4 rows of " in reported.out


def test_a_range_holding_the_list_s_price_and_a_row_no_alias_names_are_silent(reported):
    """Claude Sonnet's cached input is [0.10, 0.20]: the list's 0.15 lies inside.
    GPT-4o mini matches. Nothing names some-model-nobody-aliases or sample_spec."""
    assert "cached_input_per_1m" not in reported.out
    assert "gpt-4o-mini" not in reported.out and "nobody" not in reported.out and "sample_spec" not in reported.out


def test_a_list_no_alias_names_is_not_taken_for_agreement(tmp_path: Path):
    path = tmp_path / "openrouter.json"
    path.write_text(json.dumps({"openai/gpt-4o": {"input_cost_per_token": 2.5e-06}}))
    result = run_ftsite("check", "--project", str(ROOT), "--drift", str(path), "--strict")
    assert result.code == 1
    assert f"{path}: no row of the list is named by an alias in data/" in result.err


def test_strict_makes_a_difference_an_error(price_list: Path):
    result = run_ftsite("check", "--project", str(ROOT), "--drift", str(price_list), "--strict")
    assert result.code == 1
    assert "gpt-4o.price.input_per_1m: ours 2.50 (as_of 2026-08-06) vs list 3.00" in result.err
    assert "Traceback" not in result.err


@pytest.mark.parametrize("content, message", [
    ('{\n  "gpt-4o": {"input_cost_per_token": 2.5e-06,,}\n}', ":2: not valid JSON: Expecting property name"),
    ('["gpt-4o"]', ":1: must be a JSON object of model names"),
    ('{"gpt-4o": {"input_cost_per_token": "cheap"}}', ": gpt-4o.input_cost_per_token: must be a price per token"),
    ('{"gpt-4o": 3}', ": gpt-4o: must be an object of prices"),
    (b'{"caf\xe9": {}}', ":1: not UTF-8 text"),
    ('{"gpt-4o": {"input_cost_per_token": ' + "9" * 5000 + "}}", ": not readable: Exceeds the limit"),
])
def test_a_malformed_list_gets_a_clean_error(tmp_path: Path, content, message):
    path = tmp_path / "prices.json"
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    result = run_ftsite("check", "--project", str(ROOT), "--drift", str(path))
    assert result.code == 1
    assert f"{path}{message}" in result.err, result.err
    assert "Traceback" not in result.err


def test_every_hosted_model_and_listed_tuned_price_has_its_aliases():
    from generator.pipeline.data import parse_data
    from generator.pipeline.sources import read_data

    from conftest import TODAY

    catalog = parse_data(read_data(ROOT), TODAY).catalog
    assert [m.id for m in catalog.models.values() if m.price is not None and not m.open_weights and not m.aliases] == []
    assert [(o.id, model) for o in catalog.offers.values() for model in o.inference.listed
            if not o.inference.aliases.get(model)] == []
