"""The engine's fixed test catalog, loaded the way the build loads data."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.pipeline import marked
from generator.engine import api, load_catalog

HERE = Path(__file__).parent


def plain_catalog() -> dict:
    value, _lines = marked.load((HERE / "catalog.yaml").read_text(), "tests/engine/catalog.yaml")
    return value


TODAY = "2026-11-01"  # the test catalog's own date; no test reads the clock


@pytest.fixture(scope="session")
def catalog():
    return load_catalog(plain_catalog(), TODAY)


def session() -> api.Session:
    """The browser's engine, on the test catalog, built on TODAY."""
    import json

    return api.Session(json.dumps(plain_catalog()), TODAY)
