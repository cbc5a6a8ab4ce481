"""The decision record in the browser: the reader's own scenario saved as
JSON and CSV, the built default for readers without the engine, and the
printed page on two A4 sheets."""

from __future__ import annotations

import csv
import io
import json
import re
from urllib.parse import parse_qsl, urlsplit
from urllib.request import urlopen

from conftest import TODAY

from .pages import open_page

# A scenario with ranges, warnings and a quality comparison: the most a page
# has to print.
HEAVY = ("/costs/?training.examples=50&answers.knowledge_problem=false&answers.behavior_resisted=true"
         "&training.offer=openai-gpt-4o&horizon.months=36&prices.train_per_1m=4-8&quality.prompt=0.7"
         "&quality.rag=0.8&quality.fine_tune=0.85&quality.fine_tune_rag=0.9")


def saved(page, selector: str) -> tuple[str, str]:
    with page.expect_download() as download:
        page.click(selector)
    return download.value.suggested_filename, open(download.value.path(), encoding="utf-8").read()


def test_the_record_saves_the_readers_scenario_and_the_page_prints_on_two_sheets(chromium, built_site,
                                                                                   static_server, session):
    origin = static_server(built_site)
    built = json.loads(urlopen(origin + "/decision-record.json").read())
    assert (built["kind"], built["made_on"], built["scenario"]["training.examples"]) == \
        ("ftsite decision record", TODAY, 50_000)

    page, _requests, problems = open_page(chromium, origin + HEAVY)
    page.wait_for_selector("html[data-engine=ready]", state="attached", timeout=60_000)
    page.wait_for_selector('.tool-result:not([data-stale]) [data-result="uncertainty.p_cheapest.prompt"]'
                           ':not(:text-is("working it out…"))')
    version = page.get_attribute("form[data-engine-form]", "data-data-version")
    assert built["address"].endswith(f"/costs/?data={version}") and built["data_version"] == version
    name, text = saved(page, 'a[data-record="json"]')
    kept = json.loads(text)
    assert name == f"ftsite-decision-{TODAY}-{kept['recommendation']['option']}.json"
    assert kept["scenario"]["training.examples"] == 50 and kept["scenario"]["horizon.months"] == 36
    assert kept["data_version"] == version and kept["address"] == page.url
    assert "tiny_dataset" in {warning["id"] for warning in kept["recommendation"]["warnings"]}
    assert all(price["as_of"] and price["source"] for price in kept["prices"]
               if price["source"] != "your own figure")
    asked = dict(parse_qsl(urlsplit(HEAVY).query))
    assert {key: kept["scenario"][key] for key in ("training.offer", "prices.train_per_1m")} == \
        {"training.offer": "openai-gpt-4o", "prices.train_per_1m": [4, 8]}
    here = json.loads(session.handle(json.dumps({"fields": asked, "today": TODAY})))["result"]
    assert kept["result"]["costs"] == here["costs"] and kept["result"]["flip"] == here["flip"]

    name, text = saved(page, 'a[data-record="csv"]')
    table = {(row["section"], row["key"]): row for row in csv.DictReader(io.StringIO(text))}
    assert name.endswith(".csv") and table[("scenario", "horizon.months")]["value"] == "36"
    assert table[("record", "data_version")]["value"] == version

    pdf = page.pdf(format="A4")
    sheets = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert sheets <= 2, f"the printed record takes {sheets} pages"
    assert problems == []
