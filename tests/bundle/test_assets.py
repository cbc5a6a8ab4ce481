"""Every file a page loads gets a name that changes with its bytes and only
with them, so hosts may cache it forever; content files pass through as they
are, and none may take a name the build writes."""

from __future__ import annotations

import json

import pytest

from generator.bundle.assets import Bundle, catalog_json, content_name, make_bundle
from generator.errors import BuildError

NO_ENGINE = Bundle({}, ())


def test_an_asset_name_changes_with_its_bytes_and_nothing_else():
    first = content_name("assets/site.css", b"body{}")
    assert first == content_name("assets/site.css", b"body{}")
    assert first.startswith("assets/site.") and first.endswith(".css") and len(first) == len("assets/site..css") + 10
    assert content_name("assets/site.css", b"body{ }") != first


def test_a_bundle_hashes_assets_and_scripts_and_passes_files_through():
    bundle = make_bundle({"assets/site.css": b"body{}", "files/sample.json": b"{}"}, {"b": 1, "a": [2]}, NO_ENGINE, "/", "2026-11-01")
    out = dict(bundle.files)
    assert out[bundle.names["assets/site.css"]] == b"body{}" and bundle.names["assets/site.css"] != "assets/site.css"
    assert out["files/sample.json"] == b"{}" and bundle.names["files/sample.json"] == "files/sample.json"
    for script in ("assets/app.js", "assets/worker.js", "assets/boot.mjs"):
        assert bundle.names[script] in out, script
    assert json.loads(out[bundle.names["assets/catalog.json"]]) == {"a": [2], "b": 1}
    assert "_headers" in out
    assert [path for path, _data in bundle.files] == sorted(out)


def test_the_catalog_is_sorted_compact_json():
    assert catalog_json({"b": "é", "a": {"d": 1, "c": 2}}) == '{"a":{"c":2,"d":1},"b":"é"}'.encode()


def test_no_file_may_take_a_name_the_build_writes():
    with pytest.raises(BuildError) as raised:
        make_bundle({"assets/app.js": b"x", "_headers": b"y", "files/ok.txt": b"z"}, {}, NO_ENGINE, "/", "2026-11-01")
    assert sorted(str(error) for error in raised.value.errors) == [
        "content/_headers: would replace the _headers the build writes",
        "templates/assets/app.js: would replace the assets/app.js the build writes",
    ]
