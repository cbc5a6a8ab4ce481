"""Fixtures of the browser tests: the engine in CPython beside them, and a
copy of the built site whose engine cannot start."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conftest import ROOT, TODAY
from generator.engine import api
from generator.pipeline.data import parse_data
from generator.pipeline.sources import read_sources

from .pages import OPENED


@pytest.fixture(autouse=True)
def close_pages():
    """Each test's pages go when it ends: an open engine page keeps its
    worker, and Pyodide in it, alive for the rest of the browser queue."""
    yield
    while OPENED:
        OPENED.pop().close()


@pytest.fixture(scope="module")
def session():
    """The engine in CPython, to know what the browser must show."""
    return api.Session(json.dumps(parse_data(read_sources(ROOT).data, TODAY).plain), TODAY)


@pytest.fixture
def broken_site(built_site: Path, tmp_path: Path) -> Path:
    """The built site with its engine wheel replaced by junk: the worker starts,
    Pyodide loads, and the engine never does."""
    broken = tmp_path / "broken"
    shutil.copytree(built_site, broken)
    for wheel in broken.glob("engine/*/*.whl"):
        wheel.write_bytes(b"not a wheel")
    return broken
