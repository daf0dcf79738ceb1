"""Files only this user can have written: checked before a pickle is trusted, created safely.

A pickle runs code when loaded, so a cache is only as safe as the hands that
could have written it.  A folder or file owned by someone else, or writable by
group or others (a shared `XDG_CACHE_HOME`, `FAQBOT_CACHE=/tmp`), is refused.
Files are opened without following symlinks and checked on the open descriptor,
so nothing can be swapped in between the check and the read; new files are made
with `mkstemp` (`O_EXCL`, mode 0600, unpredictable name) and renamed into place.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

# Group- or world-writable: someone else could plant or replace a file.
OTHERS_WRITE = stat.S_IWGRP | stat.S_IWOTH


class UnsafeFileError(Exception):
    """A folder or file someone other than this user could have written."""


def unsafe_reason(info: os.stat_result) -> str | None:
    """Why a file or folder with this status is not trusted, or None when it is."""
    if info.st_uid != os.geteuid():
        return f"owned by user {info.st_uid}, not by this user ({os.geteuid()})"
    if info.st_mode & OTHERS_WRITE:
        return f"writable by group or others (mode {stat.S_IMODE(info.st_mode):o})"
    return None


def private_folder(folder: Path) -> Path:
    """`folder`, created 0700 if missing; raises UnsafeFileError when it is not private."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    info = os.lstat(folder)
    if stat.S_ISLNK(info.st_mode):
        info = os.stat(folder)  # a link is fine if what it leads to is this user's own
    if not stat.S_ISDIR(info.st_mode):
        raise UnsafeFileError(f"{folder}: not a folder")
    reason = unsafe_reason(info)
    if reason:
        raise UnsafeFileError(f"{folder}: {reason}")
    return folder


def open_private(path: Path) -> BinaryIO:
    """`path` opened for reading, refusing a symlink and a file others could have written."""
    descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
    try:
        info = os.fstat(descriptor)
        reason = "not a regular file" if not stat.S_ISREG(info.st_mode) else unsafe_reason(info)
        if reason:
            raise UnsafeFileError(f"{path}: {reason}")
        return os.fdopen(descriptor, "rb")
    except BaseException:
        os.close(descriptor)
        raise


def write_private(path: Path, write: Callable[[BinaryIO], object]) -> None:
    """`write(file)` into a fresh 0600 temporary file beside `path`, then rename it there."""
    import tempfile  # only on writing: a start from the cache never needs it

    descriptor, temporary = tempfile.mkstemp(
        dir=path.parent, prefix=f".{path.name}.", suffix=".tmp"
    )
    try:
        with os.fdopen(descriptor, "wb") as file:
            write(file)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
