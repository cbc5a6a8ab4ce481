"""WRITE: build into a private folder beside the output, then swap it in;
or, for ``ftsite serve``, update the served folder file by file.

What ftsite promises about the output folder:

- It is ftsite's only if ftsite made it. Every build leaves a marker file in
  it; a folder that is not empty and has no marker, and any folder of the
  project itself (its sources, ``.git``), is refused before anything runs.
- It always holds a complete tree. The new tree is staged in a folder of its
  own and exchanged with the old one in a single atomic rename where the
  system has one (Linux ``renameat2``, macOS ``renamex_np``); elsewhere the
  old tree is renamed aside first and put back by the next build if a crash
  came between the two renames.
- One writer at a time. A build, or ``ftsite serve`` for as long as it runs,
  holds a lock beside the output; a second one stops at once and says so.
"""

from __future__ import annotations

import ctypes
import hashlib
import errno
import os
import shutil
import sys
import tempfile
from pathlib import Path, PurePosixPath
from typing import Iterable

from ..errors import BuildError, SourceError

MARKER = ".ftsite-output"
MARKER_TEXT = b"This folder is written by ftsite: every build replaces it whole.\n"
PROJECT_FILES = ("pyproject.toml", "content", "data", "templates", ".git")


def check_target(out: Path, root: Path) -> None:
    """Refuse an output folder whose replacement could delete what ftsite did
    not make: the project, anything in its folders, or a stranger's files."""
    out, root = out.resolve(), root.resolve()
    if out == root or out in root.parents or any((out / name).exists() for name in PROJECT_FILES):
        _refuse(out, "refusing to build here: the output folder is replaced whole, and this one holds a project")
    if out.is_relative_to(root):
        top = root / out.relative_to(root).parts[0]
        if top.exists() and not (top / MARKER).is_file():
            _refuse(out, f"refusing to build into {top.name}/, a folder of the project: the output folder is "
                         "replaced whole (the default is site/)")
    if out.exists() and not out.is_dir():
        _refuse(out, "the output path is a file, not a folder")
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).is_file():
        _refuse(out, f"the folder holds files not made by ftsite (it has no {MARKER}); the output folder is "
                     "replaced whole, so empty it or choose another --out")


def _refuse(out: Path, message: str) -> None:
    raise BuildError([SourceError(str(out), None, message)])


class OutputLock:
    """An exclusive lock beside the output folder, for one build or one serve.

    The lock file stays behind: removing it would let a waiting process lock
    a file that no longer exists while a third locks its replacement.
    """

    def __init__(self, out: Path):
        self.out = out.resolve()
        self.path = self.out.with_name(f".{self.out.name}.lock")
        self.fd: int | None = None

    def __enter__(self) -> "OutputLock":
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        if not _try_lock(fd):
            holder = os.read(fd, 32).decode(errors="replace").strip() or "unknown"
            os.close(fd)
            _refuse(self.out, f"another ftsite is writing this folder (process {holder}); wait for it to finish, "
                              "or build elsewhere with --out")
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        self.fd = fd
        return self

    def __exit__(self, *exc) -> None:
        if self.fd is not None:
            os.close(self.fd)  # closing releases the lock
            self.fd = None


def _try_lock(fd: int) -> bool:
    try:
        import fcntl
    except ImportError:  # Windows
        import msvcrt
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
            return True
        except OSError:
            return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except BlockingIOError:
        return False


def write_site(outputs: Iterable[tuple[str, bytes]], out: Path) -> int:
    """Writes every (relative path, bytes) into a fresh tree, then swaps it in
    for ``out``; returns the number of files. No path may be written twice.
    The caller holds the OutputLock."""
    out = out.resolve()
    _recover(out)
    staging = _staging_folder(out)
    written: set[str] = set()
    try:
        for path, data in outputs:
            _write(staging, path, data, written)
        (staging / MARKER).write_bytes(MARKER_TEXT)
        _swap_in(staging, out)
    except OSError as error:
        raise BuildError([SourceError(str(out), None, f"cannot write the site: {error.strerror or error}")]) from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)  # after an exchange, it holds the old tree
    return len(written)


def _staging_folder(out: Path) -> Path:
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.staging-", dir=out.parent))
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(staging, 0o777 & ~umask)  # a web server must read it; mkdtemp makes it private
    return staging


def _recover(out: Path) -> None:
    """Puts back an old tree a crash left renamed aside, and clears what
    crashed builds left (safe: the lock says no other build is running)."""
    leftovers = sorted(out.parent.glob(f".{out.name}.retired-*")) + sorted(out.parent.glob(f".{out.name}.staging-*"))
    for leftover in leftovers:
        if not out.exists() and leftover.name.startswith(f".{out.name}.retired-") and (leftover / MARKER).is_file():
            os.rename(leftover, out)
        else:
            shutil.rmtree(leftover, ignore_errors=True)


def _swap_in(staging: Path, out: Path) -> None:
    if not out.exists():
        os.rename(staging, out)
        return
    if _exchange(staging, out):
        return
    retired = Path(tempfile.mkdtemp(prefix=f".{out.name}.retired-", dir=out.parent))
    os.rmdir(retired)
    os.rename(out, retired)
    os.rename(staging, out)
    shutil.rmtree(retired, ignore_errors=True)


def _exchange(a: Path, b: Path) -> bool:
    """Swaps two folders in one atomic rename; False where the system has none."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
    except OSError:
        return False
    first, second = os.fsencode(a), os.fsencode(b)
    if sys.platform.startswith("linux") and hasattr(libc, "renameat2"):
        result = libc.renameat2(-100, first, -100, second, 2)  # AT_FDCWD, RENAME_EXCHANGE
    elif sys.platform == "darwin" and hasattr(libc, "renamex_np"):
        result = libc.renamex_np(first, second, 2)  # RENAME_SWAP
    else:
        return False
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(b))


def _write(folder: Path, path: str, data: bytes, written: set[str]) -> None:
    parts = PurePosixPath(path).parts
    if not parts or path.startswith("/") or ".." in parts:
        raise BuildError([SourceError(path, None, "output path escapes the output folder")])
    if path in written:
        raise BuildError([SourceError(path, None, "two outputs claim this path")])
    written.add(path)
    target = folder.joinpath(*parts)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)


def update_site(cache, out: Path, bundle, site, rendered: dict) -> int:
    """For ``ftsite serve``: updates the served folder in place, file by file,
    from a build that reused ``cache`` (a ``cache.Cache``). Writes what
    differs from what is on disk and removes what is gone; returns the number
    of files written or removed. The disk, not memory, decides: a file
    deleted under us is written again."""
    wanted = dict(bundle.files)
    wanted.update(rendered)
    keep = set(wanted) | {page.output for page in site.pages}
    previous = dict(cache.bundle.files)
    count = 0
    for path, data in wanted.items():
        on_disk = (out / path).is_file()
        if previous.get(path) is data and path in cache.written and on_disk:
            continue  # the very same bytes as last time (Pyodide's, say): not even hashed again
        digest = hashlib.sha256(data).hexdigest()
        if cache.written.get(path) != digest or not on_disk:
            _replace(out / path, data)
            cache.written[path] = digest
            count += 1
    for path in sorted(set(cache.written) - keep):
        (out / path).unlink(missing_ok=True)
        _remove_empty_folders((out / path).parent, out)
        del cache.written[path]
        count += 1
    return count


def _remove_empty_folders(folder: Path, out: Path) -> None:
    """A page gone from a sub-folder takes its now-empty folders with it, as
    a fresh build would never have made them."""
    while folder != out and folder.is_relative_to(out):
        try:
            folder.rmdir()
        except OSError:  # not empty, or already gone
            return
        folder = folder.parent


def _replace(target: Path, data: bytes) -> None:
    """Readers of the served folder see the old file or the new, never half of one."""
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, target)
