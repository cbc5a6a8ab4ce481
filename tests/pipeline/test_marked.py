"""YAML read with the line of every key and value: what lets every error
name the line an editor has to change."""

from __future__ import annotations

import pytest

from generator.pipeline import marked

TEXT = """\
gpus:
  - id: h100
    per_hour: 2.69
    throughput:
      decode:
        - {context: 1000, tokens_per_second: 5000}
"""


def test_every_key_and_value_has_its_line():
    value, lines = marked.load(TEXT, "data/gpus.yaml")
    assert value["gpus"][0]["per_hour"] == 2.69
    assert lines.line(("gpus", 0, "per_hour")) == 3
    assert lines.line(("gpus", 0, "throughput"), at_key=True) == 4
    assert lines.line(("gpus", 0, "throughput", "decode", 0, "tokens_per_second")) == 6
    assert lines.line(("gpus", 0, "name")) == 2  # missing: where its mapping starts


def test_front_matter_lines_count_from_where_it_starts_in_the_page():
    _value, lines = marked.load("title: A\norder: 2\n", "content/a.md", first_line=2)
    assert lines.line(("order",)) == 3


@pytest.mark.parametrize("text, line, message", [
    ("a: 1\na: 2\n", 2, "duplicate key 'a'"),
    ("a: [1\n", 1, "not valid YAML"),
    ("a: !!python/name:os.system\n", 1, "tag 'tag:yaml.org,2002:python/name:os.system' is not allowed"),
    ("a:\n\tb: 1\n", 2, "a tab character"),
])
def test_what_yaml_would_allow_but_a_catalog_must_not_is_refused_by_line(text, line, message):
    with pytest.raises(marked.YamlError) as raised:
        marked.load(text, "data/x.yaml")
    error = raised.value.error
    assert (error.path, error.line) == ("data/x.yaml", line) and message in str(error), str(error)
