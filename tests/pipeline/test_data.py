"""Reading data/*.yaml: any text is read or refused with ``path:line: key:
message``, and text that would corrupt an output is refused. The editor's
mistakes one by one are the fixtures of tests/test_errors.py."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from conftest import ROOT, TODAY, run_ftsite
from generator.errors import BuildError
from generator.pipeline.data import parse_data
from generator.pipeline.sources import read_sources

from .fuzz import SETTINGS, _check, yaml_texts

DATA = read_sources(ROOT).data


@SETTINGS
@given(text=yaml_texts, name=st.sampled_from(sorted(DATA)))
def test_any_data_file_text_is_read_or_refused_cleanly(text, name):
    try:
        parse_data({**DATA, name: text}, TODAY)
    except BuildError as error:
        _check(error.errors)


def test_text_with_control_characters_never_reaches_the_feed(project: Path, tmp_path: Path):
    changelog = project / "data" / "changelog.yaml"
    changelog.write_text(changelog.read_text().replace("    what: GPT-4o, GPT-4o mini", '    what: "GPT-4o\\u001b[31m, GPT-4o mini', 1)
                         .replace("snapshots to shut down\n", 'snapshots to shut down"\n', 1))
    result = run_ftsite("build", "--project", str(project), "--out", str(tmp_path / "site"))
    assert result.code == 1
    assert "].what: must not hold control characters" in result.err and "changelog[" in result.err, result.err
