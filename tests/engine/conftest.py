"""The engine's fixed test catalog, loaded the way the build loads data."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator import marked
from generator.engine import load_catalog

HERE = Path(__file__).parent


def plain_catalog() -> dict:
    value, _lines = marked.load((HERE / "catalog.yaml").read_text(), "tests/engine/catalog.yaml")
    return value


@pytest.fixture(scope="session")
def catalog():
    return load_catalog(plain_catalog())
