"""The names templates can use, and their fingerprints: a fingerprint
changes exactly when what its name holds can have changed, which is how a
rebuild knows which pages to render again."""

from __future__ import annotations

from conftest import ROOT, TODAY
from generator.engine import vocabulary
from generator.pipeline.build import parse_all
from generator.pipeline.context import fingerprints, template_globals
from generator.pipeline.site import assemble_site
from generator.pipeline.sources import read_sources


def _site(base_url: str = "/"):
    sources = read_sources(ROOT)
    data, pages, _env = parse_all(sources, TODAY)
    return assemble_site(pages, sources, data, base_url)


def test_the_words_templates_show_are_the_engines_vocabulary():
    names = template_globals(_site())
    assert names["fields"] is vocabulary.FIELDS and names["option_labels"] is vocabulary.OPTION_LABELS
    assert names["answers"] is vocabulary.ANSWERS and names["result_labels"] is vocabulary.RESULT_LABELS
    assert names["url"]("costs/") == "/costs/"


def test_a_fingerprint_moves_with_what_its_name_holds_and_only_then():
    site, moved = _site(), _site("/guide/")
    prints = fingerprints(site, template_globals(site))
    assert prints == fingerprints(_site(), template_globals(_site()))  # the same inputs: the same prints
    other = fingerprints(moved, template_globals(moved))
    assert other["url"] != prints["url"] and other["base_url"] != prints["base_url"]
    assert other["fields"] == prints["fields"] and other["option_labels"] == prints["option_labels"]
