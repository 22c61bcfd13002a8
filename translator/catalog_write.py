"""Writing outputs (docs/catalog.md, "Safety"): each one through a temporary file in its
directory, renamed into place; the directory is created one level at a time below an output
root already checked, and a level that exists as a symlink must resolve inside the root, so
a symlink inside OUT_DIR cannot lead a write outside it. The temporary file is opened
exclusively, without following symlinks.
"""
from __future__ import annotations

import itertools
import os
import stat
from pathlib import Path

from .errors import DocumentError
from .jsonio import fill_and_replace
from .sources import inside as _inside

TMP_MARK = ".stacml-"  # temporary outputs are named .NAME.stacml-PID-N.tmp
_COUNTER = itertools.count()


def write_atomic(path: Path | str, data: bytes, root_real: str | None, checked: set[str],
                 mode: int | None = None, mtime_ns: int | None = None) -> None:
    """Temporary file + rename, only below *root_real* (see the module docstring).
    *checked* remembers the directories already known to be safe (pass the same set).
    *mode*: the permissions to give the file (those of the file it replaces or backs up);
    *mtime_ns*: its modification time (set before the rename, so that it is never seen newer)."""
    def after(tmp: str) -> None:
        if mode is not None:
            os.chmod(tmp, mode)
        if mtime_ns is not None:
            os.utime(tmp, ns=(mtime_ns, mtime_ns))
    fill_and_replace(*open_temp(path, root_real, checked), data,
                     after=None if mode is None and mtime_ns is None else after)


def mode_of(path: str) -> int:
    """The permission bits of *path*, for a rewrite that must not widen them."""
    return stat.S_IMODE(os.stat(path).st_mode)


def open_temp(path: Path | str, root_real: str | None, checked: set[str]) -> tuple[int, str, str]:
    """-> (fd, temporary path, absolute *path*): a new temporary file beside *path*, whose
    directories are created (below *root_real* only, when given)."""
    path = os.path.abspath(path)  # the checked set holds absolute paths (a relative -o out/ included)
    parent = os.path.dirname(path)
    if root_real is None:
        os.makedirs(parent, exist_ok=True)
    else:
        _ensure_dir(parent, root_real, checked)
    tmp = os.path.join(parent, f".{os.path.basename(path)}{TMP_MARK}{os.getpid()}-{next(_COUNTER)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o666)
    return fd, tmp, path


def _ensure_dir(directory: str, root_real: str, checked: set[str]) -> None:
    """Create *directory* one level at a time below a directory already checked; a level
    that already exists as a symlink must resolve inside *root_real*."""
    if directory in checked:
        return
    parent = os.path.dirname(directory)
    if parent == directory:
        raise DocumentError(f"refusing to write outside the output root {root_real}", source=directory)
    _ensure_dir(parent, root_real, checked)
    try:
        os.mkdir(directory)
    except FileExistsError:
        if os.path.islink(directory) and not _inside(root_real, directory):
            raise DocumentError(f"refusing to write outside the output root {root_real}", source=directory) from None
    checked.add(directory)


def safe_root(directory: str, create: bool = True) -> tuple[str, set[str]]:
    """(realpath, the 'checked' set to pass to write_atomic) for an output root."""
    if create:
        try:
            os.makedirs(directory, exist_ok=True)
        except OSError as exc:
            raise DocumentError(f"cannot write: {exc.strerror or exc}", source=directory) from None
    real = os.path.realpath(directory)
    return real, {os.path.normpath(os.path.abspath(directory)), real}


def dated_before(source: str) -> int | None:
    """A modification time just before *source*'s (2 s: the coarsest file systems' step), for
    an output a rerun must not take as up to date: that of a document that failed."""
    try:
        return os.stat(source).st_mtime_ns - 2 * 10**9
    except OSError:  # gone since it was read: nothing to be older than
        return None


def output_is_newer(source: str, output: str) -> bool:
    """An output file newer than its input (a directory in its place is no output)."""
    try:
        out = os.stat(output)
        return stat.S_ISREG(out.st_mode) and out.st_mtime_ns >= os.stat(source).st_mtime_ns
    except OSError:
        return False
