"""LOAD: read the project's content, data, templates and assets into memory.

The only stage that reads the project folder. Everything after it works on
the ``Sources`` value, so the stages in between are pure functions and an
incremental rebuild can tell what changed by comparing two Sources.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .errors import BuildError, SourceError, fail_if

FOLDERS = ("content", "data", "templates")


@dataclass(frozen=True)
class Sources:
    root: Path
    content: dict  # "content/index.md" -> text
    data: dict  # "data/offers.yaml" -> text
    templates: dict  # "page.html" -> text (names relative to templates/)
    files: dict  # output path -> bytes: assets under templates/assets, non-Markdown content


def read_sources(root: Path) -> Sources:
    """Every source file under ``root``; raises BuildError for missing folders
    and files that are not UTF-8."""
    errors = [SourceError(f"{name}/", None, f"folder is missing (is {root} an ftsite project?)")
              for name in FOLDERS if not (root / name).is_dir()]
    fail_if(errors)
    content, files, templates = {}, {}, {}
    for path in _files(root / "content"):
        name = _name(root, path)
        if path.suffix == ".md":
            content[name] = _text(path, name, errors)
        else:
            files[name.removeprefix("content/")] = path.read_bytes()
    data = {_name(root, p): _text(p, _name(root, p), errors) for p in _files(root / "data") if p.suffix in (".yaml", ".yml")}
    for path in _files(root / "templates"):
        relative = path.relative_to(root / "templates").as_posix()
        if relative.startswith("assets/"):
            files[relative] = path.read_bytes()
        elif path.suffix in (".html", ".xml", ".txt", ".json", ".svg"):
            templates[relative] = _text(path, _name(root, path), errors)
    if not data:
        errors.append(SourceError("data/", None, "holds no .yaml files: the catalog is missing"))
    fail_if(errors)
    return Sources(root, content, data, templates, files)


def _files(folder: Path) -> list[Path]:
    """Files under ``folder`` in a stable order, skipping hidden and editor files."""
    found = []
    for path in sorted(folder.rglob("*")):
        parts = path.relative_to(folder).parts
        if path.is_file() and not any(p.startswith((".", "#")) or p.endswith("~") for p in parts):
            found.append(path)
    return found


def _name(root: Path, path: Path) -> str:
    return path.relative_to(root).as_posix()


def _text(path: Path, name: str, errors: list[SourceError]) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        errors.append(SourceError(name, None, f"is not UTF-8 text ({error.reason} at byte {error.start})"))
        return ""
