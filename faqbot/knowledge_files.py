"""Read a knowledge-base file without trusting what sits at its name.

`faqbot serve --watch` reads whatever appears in the folder.  A FIFO there used to
block the reload thread for good, a link to /dev/zero grew memory without end, and
a link can point anywhere on the machine.  So only regular files are read (opened
non-blocking, checked on the open descriptor), each up to `limits.max_file_bytes`
from settings.yaml, and links that lead out of the knowledge folder are refused.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from pathlib import Path

from faqbot.errors import KnowledgeError, Problem

# The default cap per file: far above any real topic file (100,000 paraphrases are ~6 MB).
DEFAULT_MAX_FILE_BYTES = 50_000_000
KINDS = {
    stat.S_IFIFO: "a FIFO",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
    stat.S_IFSOCK: "a socket",
    stat.S_IFDIR: "a folder",
}


def read_text_file(path: Path, max_bytes: int = DEFAULT_MAX_FILE_BYTES) -> str:
    """The UTF-8 text of the regular file `path`; KnowledgeError when it is anything else.

    Raises FileNotFoundError when there is no file, UnicodeDecodeError when the bytes are
    not UTF-8: callers say what each means for their file.
    """
    descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)  # a FIFO: no wait
    with os.fdopen(descriptor, "rb") as file:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            kind = KINDS.get(stat.S_IFMT(info.st_mode), "not a plain file")
            raise KnowledgeError([Problem(path, 0, f"{kind}, not a regular file: not read")])
        data = file.read(max_bytes + 1)  # the size can change after fstat: read no more
    if len(data) > max_bytes or info.st_size > max_bytes:
        message = f"larger than limits.max_file_bytes ({max_bytes:,} bytes): not read"
        raise KnowledgeError([Problem(path, 0, message)])
    return data.decode("utf-8")


def links_out_of(folder: Path, paths: Iterable[Path]) -> list[Problem]:
    """A problem for each of `paths` that is a symbolic link leading outside `folder`."""
    base = folder.resolve()
    return [
        Problem(path, 0, "a link to outside the knowledge folder: not read")
        for path in paths
        if path.is_symlink() and not path.resolve().is_relative_to(base)
    ]
