"""The README's two commands stay true: .ci/run runs the test command word for
word, and serving needs nothing of the test extra."""

from __future__ import annotations

import re

from conftest import ROOT


def commands() -> list[str]:
    setup = (ROOT / "README.md").read_text().split("## Set up on a fresh machine")[1].split("\n## ")[0]
    return re.findall(r"```sh\n(.+?)\n```", setup)


def test_the_readme_has_two_commands_and_ci_runs_the_second_word_for_word():
    serve, test = commands()
    assert serve == "python3 -m venv .venv && .venv/bin/pip install -e . && .venv/bin/ftsite serve"
    assert "'.[test]'" in test and test.endswith("python -m pytest")
    assert test in (ROOT / ".ci" / "run").read_text().splitlines()
