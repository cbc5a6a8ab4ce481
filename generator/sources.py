"""LOAD: read the project's content, data, templates and assets.

The only stage that reads the project folder. Data, templates and assets are
read into memory at once. Markdown pages are not: a site of thousands of
pages would hold them all for nothing, so ``Sources.content`` names the files
and ``page_text`` reads one when a stage needs it. A rebuild during
``ftsite serve`` re-reads only the files that changed.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Iterable

from .errors import SourceError, fail_if

FOLDERS = ("content", "data", "templates")
TEMPLATE_SUFFIXES = (".html", ".xml", ".txt", ".json", ".svg")


@dataclass(frozen=True)
class Sources:
    root: Path
    content: dict  # "content/index.md" -> its Path, read with page_text()
    data: dict  # "data/offers.yaml" -> text
    templates: dict  # "page.html" -> text (names relative to templates/)
    files: dict  # output path -> bytes: assets under templates/assets, non-Markdown content


def read_sources(root: Path) -> Sources:
    """Every source file under ``root``; raises BuildError for missing folders
    and files that are not UTF-8."""
    fail_if([SourceError(f"{name}/", None, f"folder is missing (is {root} an ftsite project?)")
             for name in FOLDERS if not (root / name).is_dir()])
    empty = Sources(root, {}, {}, {}, {})
    return update_sources(empty, [path for name in FOLDERS for path in sorted((root / name).rglob("*"))])


def update_sources(sources: Sources, paths: Iterable[Path]) -> Sources:
    """``sources`` with each of ``paths`` read again, or dropped if it is gone."""
    tables = {name: dict(getattr(sources, name)) for name in ("content", "data", "templates", "files")}
    errors: list[SourceError] = []
    for path in paths:
        slot = place(sources.root, path)
        if slot is None:
            continue
        table, key, as_text = slot
        if not path.is_file():
            tables[table].pop(key, None)
        elif table == "content":
            tables[table][key] = path
        elif as_text:
            tables[table][key] = _text(path, path.relative_to(sources.root).as_posix(), errors)
        else:
            tables[table][key] = path.read_bytes()
    if not tables["data"]:
        errors.append(SourceError("data/", None, "holds no .yaml files: the catalog is missing"))
    fail_if(errors)
    return replace(sources, **{name: dict(sorted(table.items())) for name, table in tables.items()})


def place(root: Path, path: Path) -> tuple[str, str, bool] | None:
    """Where a project file belongs: (table, key, read as text), or None when
    the build does not read it (hidden files, editor backups, stray types)."""
    try:
        parts = path.relative_to(root).parts
    except ValueError:
        return None
    if len(parts) < 2 or parts[0] not in FOLDERS or any(p.startswith((".", "#")) or p.endswith("~") for p in parts):
        return None
    if path.exists() and not path.is_file():
        return None
    folder, rest = parts[0], "/".join(parts[1:])
    suffix = path.suffix
    if folder == "content":
        return ("content", f"content/{rest}", True) if suffix == ".md" else ("files", rest, False)
    if folder == "data":
        return ("data", f"data/{rest}", True) if suffix in (".yaml", ".yml") else None
    if rest.startswith("assets/"):
        return ("files", rest, False)
    return ("templates", rest, True) if suffix in TEMPLATE_SUFFIXES else None


def page_text(sources: Sources, name: str) -> str:
    """The text of a Markdown page; raises BuildError when it is not UTF-8."""
    errors: list[SourceError] = []
    text = _text(sources.content[name], name, errors)
    fail_if(errors)
    return text


def _text(path: Path, name: str, errors: list[SourceError]) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        errors.append(SourceError(name, None, f"is not UTF-8 text ({error.reason} at byte {error.start})"))
        return ""
