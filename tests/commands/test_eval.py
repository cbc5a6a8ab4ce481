"""``ftsite eval``: scenario files in, verdict and costs out; bad scenarios
named by key and line, exit 1, no traceback."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import ROOT, run_ftsite


def test_worked_example_prints_tokens_and_cost_per_run(tmp_path: Path):
    scenario = tmp_path / "scenario.yaml"
    scenario.write_text("training:\n  examples: 50000\n  tokens_per_example: 200\n  epochs: 1\n"
                        "prices:\n  train_per_1m: 25\n")
    result = run_ftsite("eval", str(scenario), "--project", str(ROOT))
    assert result.code == 0, result.err
    assert "Billed tokens per run  10,000,000" in result.out
    assert "One run                $250" in result.out
    assert "Recommendation:" in result.out and "Costs" in result.out


def test_json_output_is_the_engine_result(tmp_path: Path):
    scenario = tmp_path / "scenario.json"
    scenario.write_text(json.dumps({"training.examples": 50000, "prices.train_per_1m": [4, 8], "training.runs": 1}))
    result = run_ftsite("eval", str(scenario), "--json", "--project", str(ROOT))
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert data["training"]["cost_per_run_usd"] == {"low": 40, "high": 80}
    assert data["recommendation"]["id"] in {"prompt", "rag", "fine_tune", "fine_tune_small"}


def test_scenario_from_stdin():
    result = run_ftsite("eval", "-", "--project", str(ROOT), stdin="training:\n  epochs: 3\n  runs: 1\n")
    assert result.code == 0, result.err
    assert "30,000,000" in result.out


def test_bad_scenario_names_file_line_and_key(tmp_path: Path):
    scenario = tmp_path / "bad.yaml"
    scenario.write_text("training:\n  examples: 0\n  offer: nope\nhorizon:\n  months: 1000\ncolour: blue\n")
    result = run_ftsite("eval", str(scenario), "--project", str(ROOT))
    assert result.code == 1
    assert "Traceback" not in result.err
    for expected in (f"{scenario}:2: training.examples: must be a whole number from 1 to 100,000,000, got 0",
                     f"{scenario}:3: training.offer: must be one of the catalog's offers",
                     f"{scenario}:5: horizon.months: must be a whole number from 1 to 120, got 1000",
                     f"{scenario}:6: colour: unknown key"):
        assert expected in result.err, result.err


def test_missing_and_malformed_scenarios(tmp_path: Path):
    missing = run_ftsite("eval", str(tmp_path / "nope.yaml"), "--project", str(ROOT))
    assert missing.code == 1 and "cannot read the scenario" in missing.err
    broken = tmp_path / "broken.json"
    broken.write_text('{"training.examples": }')
    result = run_ftsite("eval", str(broken), "--project", str(ROOT))
    assert result.code == 1 and f"{broken}:1: not valid JSON" in result.err
    assert "Traceback" not in missing.err + result.err


def test_bad_workload_values_are_named_by_key_and_line(tmp_path: Path):
    scenario = tmp_path / "bad.yaml"
    scenario.write_text("usage:\n  input_tokens: 1000\n  cached_input_tokens: 1200\n  batch_share: 1.5\n"
                        "effort:\n  rag_hours: -4\n")
    result = run_ftsite("eval", str(scenario), "--project", str(ROOT))
    assert result.code == 1
    assert "Traceback" not in result.err
    for expected in (f"{scenario}:4: usage.batch_share: must be <= 1, got 1.5",
                     f"{scenario}:6: effort.rag_hours: must be >= 0, got -4"):
        assert expected in result.err, result.err
    fixed = scenario.read_text().replace("1.5", "0.5").replace("-4", "4")
    scenario.write_text(fixed)
    result = run_ftsite("eval", str(scenario), "--project", str(ROOT))
    assert result.code == 1
    assert (f"{scenario}:3: usage.cached_input_tokens: the repeated prefix and the question are parts of the "
            "input, so usage.cached_input_tokens + usage.query_tokens (1,200 + 300) must be at most "
            "usage.input_tokens (1,000)") in result.err, result.err


def test_the_summary_breaks_each_total_into_its_parts():
    result = run_ftsite("eval", "-", "--project", str(ROOT), stdin="training:\n  eval_examples: 100\n")
    assert result.code == 0, result.err
    assert "Over 12 months, by part" in result.out
    for part in ("Engineering time", "Training runs", "Eval passes, one per run", "Vector store", "Serving the model"):
        assert part in result.out


def test_a_scenario_nested_deep_is_an_error_not_a_crash(tmp_path: Path):
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000)
    result = run_ftsite("eval", str(deep), "--project", str(ROOT))
    assert result.code == 1 and "Traceback" not in result.err
    assert f"{deep}: nested too deeply to read" in result.err, result.err
    nested = tmp_path / "deep.yaml"
    nested.write_text("training:\n  examples: " + "[" * 600 + "]" * 600 + "\n")
    result = run_ftsite("eval", str(nested), "--project", str(ROOT))
    assert result.code == 1 and "Traceback" not in result.err
    assert f"{nested}:2: training.examples: nested more than 64 levels deep" in result.err, result.err


def test_tiny_and_huge_numbers_in_a_scenario_are_field_errors(tmp_path: Path):
    tiny = tmp_path / "tiny.yaml"
    tiny.write_text("prices:\n  baseline_input_per_1m: 1.0e-310\n")
    result = run_ftsite("eval", str(tiny), "--project", str(ROOT))
    assert result.code == 1 and "Traceback" not in result.err
    assert f"{tiny}:2: prices.baseline_input_per_1m: is too small to be a figure" in result.err, result.err
    huge = tmp_path / "huge.json"
    huge.write_text('{"usage": {"requests_per_month": 1' + "0" * 5000 + "}}")
    result = run_ftsite("eval", str(huge), "--project", str(ROOT))
    assert result.code == 1 and "Traceback" not in result.err
    assert f"{huge}:1: not valid JSON: a number of 5,001 digits is too long to read" in result.err, result.err
    long_yaml = tmp_path / "huge.yaml"
    long_yaml.write_text("usage:\n  requests_per_month: 1" + "0" * 5000 + "\n")
    result = run_ftsite("eval", str(long_yaml), "--project", str(ROOT))
    assert f"{long_yaml}:2: usage.requests_per_month: a number of 5,001 digits is too long to read" in result.err
