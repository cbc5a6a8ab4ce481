"""What the browser tests share: the engine in CPython, to know what a page
must show, and a page opened the way a reader opens it."""

from __future__ import annotations

import json

from conftest import TODAY

READY = "html[data-engine=ready], html[data-engine=failed]"
SHARED = "/costs/?training.examples=20000&training.epochs=3&prices.train_per_1m=4-8&usage.requests_per_month=250000"


def expected(session, fields: dict, today: str = TODAY) -> dict:
    return json.loads(session.handle(json.dumps({"fields": fields, "today": today})))["display"]


OPENED: list = []  # every context open_page made, closed after each test (tests/browser/conftest.py)


def open_page(chromium, url: str, today: str = TODAY, console: list | None = None, **context):
    """A page at ``url`` on the reader's date ``today``; every console line (the
    worker's too) goes into ``console`` when one is given."""
    opened = chromium.new_context(**context)
    OPENED.append(opened)
    page = opened.new_page()
    page.clock.set_fixed_time(f"{today}T12:00:00")  # the reader's date, fixed: no test reads the clock
    requests, problems = [], []
    page.on("request", lambda request: requests.append(request.url))
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("console", lambda message: message.type == "error" and problems.append(message.text))
    if console is not None:
        page.on("console", lambda message: console.append(message.text))
    page.goto(url)
    return page, requests, problems


def result(page, key: str) -> str:
    return page.text_content(f'.tool-result [data-result="{key}"]')  # the results, not their summary
