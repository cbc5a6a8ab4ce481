"""One engine, two runtimes: the engine inside real Pyodide (the site's own
trimmed bundle, under Node) answers every engine case and a few hundred
generated scenarios with JSON identical to CPython's, on both of the
browser's boot paths: loaded the normal way, and restored from a memory
snapshot of itself."""

from __future__ import annotations

import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
import yaml

from conftest import NODE_TOOLS, TESTS, missing_tool
from engine.conftest import TODAY as TEST_DAY, plain_catalog
from engine.strategies import random_scenarios
from generator.engine import load_catalog
from generator.engine.api import Session, evaluate

NODE = shutil.which("node")
CASES = TESTS / "engine" / "cases"


def _engine_files(site: Path) -> list[str]:
    """The Pyodide folder, stdlib zip and lockfile the built /costs/ page boots with."""
    html = (site / "costs" / "index.html").read_text()
    attrs = {}
    for name in ("data-engine-pyodide", "data-engine-stdlib", "data-engine-lock"):
        attrs[name] = html.split(f'{name}="/', 1)[1].split('"', 1)[0]
    return [attrs["data-engine-pyodide"], attrs["data-engine-stdlib"], attrs["data-engine-lock"]]


@pytest.fixture(scope="module")
def node():
    if NODE is None:
        missing_tool("node", "install Node.js")
    return NODE


def test_pyodide_answers_exactly_as_cpython(node, built_site: Path, tmp_path: Path):
    plain = plain_catalog()
    catalog = load_catalog(plain, TEST_DAY)
    scenarios = [case["scenario"] for path in sorted(CASES.glob("*.yaml")) for case in yaml.safe_load(path.read_text())]
    scenarios += random_scenarios(catalog, 300)
    forms = [{"training.examples": "50,000", "prices.train_per_1m": "4-8"}, {"training.epochs": "abc"},
             {"training.offer": "<script>", "usage.requests_per_month": "1e9"}, {}]
    batch = tmp_path / "batch.json"
    batch.write_text(json.dumps({"catalog": plain, "scenarios": scenarios, "forms": forms, "built": TEST_DAY,
                                 "today": "2027-02-15"}))

    done = subprocess.run([node, str(NODE_TOOLS / "evaluate.mjs"), str(built_site),
                           *_engine_files(built_site), str(batch)], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    boots = json.loads(done.stdout)

    session = Session(json.dumps(plain), TEST_DAY)
    expected = {"results": [evaluate(catalog, s) for s in scenarios],
                "replies": [json.loads(session.handle(json.dumps({"fields": f, "today": "2027-02-15"})))
                            for f in forms]}
    shipped = zipfile.ZipFile(built_site / _engine_files(built_site)[1]).namelist()
    assert 100 < len(shipped) < 300 and all(name.endswith(".pyc") for name in shipped)  # the trimmed bundle
    assert set(boots) == {"normal", "snapshot"}
    for boot, pyodide in boots.items():
        assert pyodide["python"].startswith("3.14"), boot
        assert len(pyodide["results"]) == len(scenarios) >= 300
        for index, (theirs, ours) in enumerate(zip(pyodide["results"], expected["results"], strict=True)):
            assert json.dumps(theirs, sort_keys=True) == json.dumps(ours, sort_keys=True), (boot, scenarios[index])
        assert json.dumps(pyodide["replies"], sort_keys=True) == json.dumps(expected["replies"], sort_keys=True), boot


def test_the_real_catalog_gives_the_same_default_result_in_both(node, built_site: Path, tmp_path: Path):
    catalog_file = next((built_site / "assets").glob("catalog.*.json"))
    plain = json.loads(catalog_file.read_text())
    batch = tmp_path / "batch.json"
    batch.write_text(json.dumps({"catalog": plain, "scenarios": [{}], "forms": [], "built": "2026-12-01",
                                 "today": "2026-12-01"}))
    done = subprocess.run([node, str(NODE_TOOLS / "evaluate.mjs"), str(built_site),
                           *_engine_files(built_site), str(batch)], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    boots = json.loads(done.stdout)
    assert boots["normal"]["results"][0] == boots["snapshot"]["results"][0] == evaluate(load_catalog(plain, "2026-12-01"), {})
