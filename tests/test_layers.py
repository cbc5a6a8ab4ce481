"""The host's imports run one way, as the engine's do (tests/engine/test_isolation.py):

    cli -> commands -> pipeline -> bundle -> engine

with ``errors`` (and the package's version) below them all. Inside pipeline/,
a stage may use the stages before it (STAGES) and the layers beneath, never
one above."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "generator"
# What each room may import from, besides itself and the standard library.
ALLOWED = {
    "cli": {"commands", "errors", "__init__"},
    "commands": {"pipeline", "bundle", "engine", "errors"},
    "pipeline": {"bundle", "engine", "errors"},
    "bundle": {"engine", "errors", "__init__"},
    "errors": set(),
    "__main__": {"cli"},
    "__init__": set(),
}


def _room(path: Path) -> str:
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    return parts[0]


# The stages in the order build() runs them: each may import only those before it.
STAGES = ["sources", "marked", "data", "content", "site", "context", "render", "cache", "write", "build"]


def _targets(path: Path, tree: ast.AST) -> list[tuple[str, str | None]]:
    """(room, module in it or None) for every import of the package a module makes."""
    here = list(path.relative_to(PACKAGE).parent.parts)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level > 0:
            base = here[: len(here) - (node.level - 1)] if node.level > 1 else here
            found += _named([*base, *(node.module.split(".") if node.module else [])], node.names)
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "generator":
            found += _named(node.module.split(".")[1:], node.names)
        elif isinstance(node, ast.Import):
            found += [_place(alias.name.split(".")[1:]) for alias in node.names
                      if alias.name.startswith("generator.")]
    return found


def _named(parts: list[str], names) -> list[tuple[str, str | None]]:
    """What ``from <parts> import names`` reaches: the module itself, or, at a
    package, each name (a module of it, or ``__version__`` of its __init__)."""
    if len(parts) >= 2 or (parts and parts[0] not in ("commands", "pipeline", "bundle", "engine", "browser")):
        return [_place(parts)]
    if parts:
        return [(parts[0], alias.name) for alias in names]
    return [("__init__" if alias.name == "__version__" else alias.name, None) for alias in names]


def _place(parts: list[str]) -> tuple[str, str | None]:
    return parts[0], (parts[1] if len(parts) > 1 else None)


def violations(path: Path, source: str) -> list[str]:
    room = _room(path)
    if room == "engine":
        return []  # the engine's own wall is tested in tests/engine/test_isolation.py
    allowed = ALLOWED.get(room, set()) | {room}
    name = path.relative_to(PACKAGE)
    found = []
    for target, module in _targets(path, ast.parse(source)):
        if target not in allowed:
            found.append(f"{name} imports {target}")
        elif room == target == "pipeline" and module in STAGES and path.stem in STAGES \
                and STAGES.index(module) >= STAGES.index(path.stem):
            found.append(f"{name} imports the later stage {module}")
    return found


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("*.py")), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_run_one_way(path: Path):
    assert violations(path, path.read_text()) == []


def test_an_upward_import_is_caught():
    for where, source in ((PACKAGE / "bundle" / "assets.py", "from ..pipeline.site import Site\n"),
                          (PACKAGE / "pipeline" / "site.py", "from ..commands import build_date\n"),
                          (PACKAGE / "pipeline" / "site.py", "import generator.cli\n"),
                          (PACKAGE / "bundle" / "wheel.py", "from generator import commands\n"),
                          (PACKAGE / "pipeline" / "data.py", "from generator.pipeline import build\n")):
        assert violations(where, source), source
