"""LOAD: read the project's content, data, templates and assets.

The only stage that reads the project folder. Data, templates and assets are
read into memory at once. Markdown pages are not: a site of thousands of
pages would hold them all for nothing, so ``Sources.content`` names the files
and ``page_text`` reads one when a stage needs it. A rebuild during
``ftsite serve`` re-reads only the files that changed.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Iterable

from ..errors import BuildError, SourceError, fail_if

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
    """Every source file under ``root``; raises BuildError for missing folders,
    links to outside the project and files that are not UTF-8."""
    return read_sources_of(root, FOLDERS)


def read_data(root: Path) -> dict[str, str]:
    """Only data/*.yaml: what ``ftsite eval`` needs of the project."""
    return read_sources_of(root, ("data",)).data


def read_sources_of(root: Path, folders: tuple[str, ...]) -> Sources:
    fail_if([SourceError(f"{name}/", None, f"folder is missing (is {root} an ftsite project?)")
             for name in folders if not (root / name).is_dir()])
    return update_sources(Sources(root, {}, {}, {}, {}), [path for name in folders for path in _walk(root / name)])


def _walk(folder: Path) -> list[Path]:
    """Every file and link under ``folder``, following links to folders once
    each (a link that loops is not walked twice), in path order."""
    found: list[Path] = []
    seen: set[Path] = {folder.resolve()}
    stack = [folder]
    while stack:
        directory = stack.pop()
        try:
            entries = sorted(os.scandir(directory), key=lambda entry: entry.name)
        except OSError:
            continue
        for entry in entries:
            path = Path(entry.path)
            if _ignored(entry.name):
                continue
            if entry.is_dir():
                real = path.resolve()
                if entry.is_symlink() and not _inside(real, folder):
                    found.append(path)  # reported by update_sources
                elif real not in seen:
                    seen.add(real)
                    stack.append(path)
            else:
                found.append(path)
    return sorted(found)


def _ignored(name: str) -> bool:
    """Hidden files, editor backups and locks are never read."""
    return name.startswith((".", "#")) or name.endswith("~")


def _inside(path: Path, folder: Path) -> bool:
    root = folder.resolve().parent
    return path == root or path.is_relative_to(root)


def update_sources(sources: Sources, paths: Iterable[Path]) -> Sources:
    """``sources`` with each of ``paths`` read again, or dropped if it is gone."""
    tables = {name: dict(getattr(sources, name)) for name in ("content", "data", "templates", "files")}
    errors: list[SourceError] = []
    root = sources.root.resolve()
    for path in paths:
        slot = place(sources.root, path)
        if slot is None:
            continue
        table, key, as_text = slot
        name = path.relative_to(sources.root).as_posix()
        if path.exists() and not path.resolve().is_relative_to(root):
            errors.append(SourceError(name, None, "is a link to outside the project"))
            continue
        try:
            if not path.is_file():
                tables[table].pop(key, None)
            elif table == "content":
                tables[table][key] = path
            elif as_text:
                tables[table][key] = _text(path, name, errors)
            else:
                tables[table][key] = path.read_bytes()
        except FileNotFoundError:  # gone between the listing and the read: an editor's save, a checkout
            tables[table].pop(key, None)
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
    if len(parts) < 2 or parts[0] not in FOLDERS or any(_ignored(p) for p in parts):
        return None
    if path.exists() and not path.is_file() and path.resolve().is_relative_to(root.resolve()):
        return None  # a folder of the project; a link to one elsewhere is refused by update_sources
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
    """The text of a Markdown page; raises BuildError when it is not UTF-8 or gone."""
    errors: list[SourceError] = []
    try:
        text = _text(sources.content[name], name, errors)
    except FileNotFoundError:
        raise BuildError([SourceError(name, None, "was removed while the site was building")]) from None
    fail_if(errors)
    return text


def _text(path: Path, name: str, errors: list[SourceError]) -> str:
    try:
        return utf8_text(path.read_bytes(), name)
    except BuildError as error:
        errors.extend(error.errors)
        return ""


def utf8_text(data: bytes, name: str) -> str:
    """``data`` as text; raises BuildError at the line and column of the first
    byte that is not UTF-8 (an editor saved the file as Latin-1 or UTF-16)."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line_start = data.rfind(b"\n", 0, error.start) + 1
        column = len(data[line_start:error.start].decode("utf-8", "replace")) + 1
        message = f"not UTF-8 text: byte 0x{data[error.start]:02x} at column {column} ({error.reason}); save the file as UTF-8"
        raise BuildError([SourceError(name, data.count(b"\n", 0, error.start) + 1, message)]) from None
