"""The host's imports run one way, as the engine's do (tests/engine/test_isolation.py):

    cli -> commands -> pipeline -> bundle -> engine

with ``errors`` (and the package's version) below them all. A stage may use
the stages before it and the layers beneath, never one above."""

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


def _targets(path: Path, tree: ast.AST) -> list[str]:
    """The rooms of the package a module imports, from its relative imports."""
    here = path.relative_to(PACKAGE).parent.parts
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level > 0:
            base = here[: len(here) - (node.level - 1)] if node.level > 1 else here
            module = (node.module or "").split(".") if node.module else []
            full = [*base, *module]
            if full:
                found.append(full[0])
            else:  # "from . import x" at the package's top: x is the room (__version__ lives in __init__)
                found += ["__init__" if alias.name == "__version__" else alias.name for alias in node.names]
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names = [alias.name for alias in node.names] if isinstance(node, ast.Import) else [node.module or ""]
            found += [name.split(".")[1] for name in names if name.startswith("generator.")]
    return found


def violations(path: Path, source: str) -> list[str]:
    room = _room(path)
    if room == "engine":
        return []  # the engine's own wall is tested in tests/engine/test_isolation.py
    allowed = ALLOWED.get(room, set()) | {room}
    return [f"{path.relative_to(PACKAGE)} imports {target}" for target in _targets(path, ast.parse(source))
            if target not in allowed]


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("*.py")), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_run_one_way(path: Path):
    assert violations(path, path.read_text()) == []


def test_an_upward_import_is_caught():
    for where, source in ((PACKAGE / "bundle" / "assets.py", "from ..pipeline.site import Site\n"),
                          (PACKAGE / "pipeline" / "site.py", "from ..commands import build_date\n"),
                          (PACKAGE / "pipeline" / "site.py", "import generator.cli\n")):
        assert violations(where, source), source
