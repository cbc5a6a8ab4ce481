"""The engine runs on the standard library alone: no import of the rest of
generator, none from site-packages. Proven twice: by reading its imports, and
by running it in an interpreter that cannot see site-packages at all."""

from __future__ import annotations

import ast
import json
import shutil
import subprocess
import sys
from pathlib import Path

from .conftest import plain_catalog

ENGINE = Path(__file__).resolve().parents[2] / "generator" / "engine"


def test_engine_imports_only_the_standard_library_and_itself():
    for path in sorted(ENGINE.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level > 0:
                    assert node.level == 1, f"{path.name} reaches outside the engine"
                    continue
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                assert top in sys.stdlib_module_names or top == "__future__", f"{path.name} imports {name}"


def test_engine_runs_without_site_packages(tmp_path: Path):
    shutil.copytree(ENGINE, tmp_path / "ftengine", ignore=shutil.ignore_patterns("__pycache__"))
    (tmp_path / "catalog.json").write_text(json.dumps(plain_catalog()))
    script = (
        "import json, sys\nsys.path.insert(0, '.')\n"
        "assert not any('site-packages' in p for p in sys.path), sys.path\n"
        "from ftengine.api import Session\n"
        "session = Session(open('catalog.json').read(), '2026-11-01')\n"
        "reply = json.loads(session.handle(json.dumps({'fields': {'training.examples': '50,000', 'training.epochs': '1'}})))\n"
        "print(reply['display']['training.cost_per_run_usd'])\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] not in sys.stdlib_module_names\n"
        "             and m.split('.')[0] not in ('ftengine', '__main__')))\n"
    )
    done = subprocess.run([sys.executable, "-I", "-S", "-c", script], cwd=tmp_path, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split("\n")[:2] == ["$250", "[]"]
