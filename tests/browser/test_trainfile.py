"""The reader's training file, measured in the browser's worker: what it
finds, where it puts it, that the page stays responsive on 50 MB, and that
no request carries a byte of it."""

from __future__ import annotations

import json
from pathlib import Path

from generator.engine.trainfile import TrainingFile

from .pages import expected

MARKER = "QUOKKA-5512"  # in every file: no request may carry it
BOX = "[data-training-file]"
# Chromium reports main-thread tasks over 50 ms as long tasks; the page keeps
# the longest in an attribute, since the site's CSP forbids evaluating strings.
LONGEST_TASK = """
new PerformanceObserver((list) => {
  const root = document.documentElement;
  for (const entry of list.getEntries()) {
    root.dataset.testLongestTask = String(Math.max(Number(root.dataset.testLongestTask || 0), entry.duration));
  }
}).observe({ type: "longtask", buffered: false });
"""


def example(number: int, words: int = 12) -> str:
    return json.dumps({"messages": [
        {"role": "system", "content": f"You answer for {MARKER}."},
        {"role": "user", "content": f"Question {number}: " + "why " * words},
        {"role": "assistant", "content": "Because " * words}]})


def measured(text: str, context: int | None) -> dict:
    reader = TrainingFile(context)
    reader.feed(text.encode())
    return reader.finish()


def pick(page, path: Path, state: str) -> None:
    page.set_input_files(f"{BOX} input[type=file]", str(path))
    page.wait_for_selector(f'{BOX}[data-state="{state}"]', timeout=60_000)


def test_a_training_file_is_measured_on_the_device_and_fills_the_form(chromium, built_site, static_server, session,
                                                                     tmp_path):
    origin = static_server(built_site)
    context = chromium.new_context()
    context.add_init_script(LONGEST_TASK)
    sent: list[str] = []
    context.on("request", lambda request: sent.append(request.url + "\n" + (request.post_data or "")))
    page = context.new_page()
    page.clock.set_fixed_time("2026-12-01T12:00:00")
    problems = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto(origin + "/costs/")
    page.wait_for_selector("html[data-engine=ready]", state="attached", timeout=60_000)
    assert page.is_visible(f"{BOX} input[type=file]") and "never uploaded" in page.text_content(BOX)
    context_tokens = json.loads(session.training_file(json.dumps({"fields": {}})).finish())["context_tokens"]

    valid = "\n".join(example(n) for n in range(120)) + "\n"
    (tmp_path / "valid.jsonl").write_text(valid)
    pick(page, tmp_path / "valid.jsonl", "read")
    want = measured(valid, context_tokens)
    assert page.input_value('[name="training.examples"]') == "120"
    assert page.input_value('[name="training.tokens_per_example"]') == str(want["tokens_per_example"])
    fields = {"training.examples": "120", "training.tokens_per_example": str(want["tokens_per_example"])}
    tokens = expected(session, fields)["training.tokens"]
    page.wait_for_selector(f'.tool-result [data-result="training.tokens"]:text-is("{tokens}")')
    assert "training.examples=120" in page.url
    assert page.text_content(f"{BOX} [data-file-summary]").startswith("valid.jsonl — 120 examples in the chat format, about ")

    lines = valid.splitlines()
    lines[2] = lines[2][:-3]  # line 3: cut short
    lines[5] = json.dumps({"messages": [{"content": MARKER}, {"role": "assistant", "content": "a"}]})
    lines[8] = json.dumps({"messages": [{"role": "user", "content": ""}, {"role": "assistant", "content": "a"}]})
    (tmp_path / "faults.jsonl").write_text("\n".join(lines))
    pick(page, tmp_path / "faults.jsonl", "faults")
    faults = page.locator(f"{BOX} [data-file-faults] li")
    assert [faults.nth(i).get_attribute("data-line") for i in range(faults.count())] == ["3", "6", "9"]
    assert faults.nth(0).text_content().startswith("Line 3: is not valid JSON")
    assert page.input_value('[name="training.examples"]') == "117"

    (tmp_path / "empty.jsonl").write_text("")
    pick(page, tmp_path / "empty.jsonl", "empty")
    assert page.text_content(f"{BOX} [data-file-summary]") == "empty.jsonl — The file is empty: it holds no examples."
    assert page.input_value('[name="training.examples"]') == "117"  # nothing filled from an empty file

    big = tmp_path / "big.jsonl"
    line = example(0, words=120) + "\n"
    count = 50_000_000 // len(line) + 1
    big.write_text(line * count)
    page.evaluate("delete document.documentElement.dataset.testLongestTask")  # only the reading counts
    pick(page, big, "read")
    assert page.input_value('[name="training.examples"]') == str(count)
    longest = float(page.get_attribute("html", "data-test-longest-task") or 0)
    assert longest < 200, f"a main-thread task took {longest:.0f} ms while the 50 MB file was read"

    assert any(".wasm" in request for request in sent), sent  # the worker's requests are seen too
    assert not [request for request in sent if MARKER in request], "a request carried the file's content"
    assert problems == []
