"""Load a large knowledge base on several cores: forked helpers read and tokenize some topic files.

At 100,000 paraphrases, reading the YAML and tokenizing every phrasing take most
of a server's start, on one core.  Topic files are independent until their
entries are joined (`faqbot.loader.TopicFiles`, `faqbot.retrieval.Prepared`), so
the files are cut into parts of about equal size, each helper process reads and
prepares one part while this process does the first, and the parts are joined in
file order: the same knowledge base and index as reading them one after another.

A small knowledge base (the shipped one) never pays for a process, nor does a
process already running threads (forking one can deadlock the copy), one
without `fork` (macOS and Windows spawn a fresh interpreter: slower than the
work saved), or one allowed a single core.  If a helper fails in any way, its
part is read here, where any error is raised as usual.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from functools import partial
from itertools import accumulate, pairwise
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

from faqbot.bulk import built_in_bulk
from faqbot.loader import Support, TopicFiles, assembled, read_support, read_topic_files
from faqbot.model import KnowledgeBase
from faqbot.normalize import Normalizer
from faqbot.retrieval import Prepared, prepare

if TYPE_CHECKING:
    from multiprocessing.connection import Connection
    from multiprocessing.process import BaseProcess

# Below this many bytes of topic files (about 12,000 paraphrases) a process costs more
# than it saves.
HELPER_MIN_BYTES = 1_000_000
# Each part is at least this big, and there are never more parts than this.
PART_MIN_BYTES = 500_000
MAX_PARTS = 4

Joinable = TypeVar("Joinable", TopicFiles, Prepared)


class Part(NamedTuple):
    """Some topic files, read and prepared."""

    topic_files: TopicFiles
    prepared: Prepared


@built_in_bulk
def load_prepared(root: Path | str | None = None) -> tuple[KnowledgeBase, Prepared | None]:
    """The knowledge base at `root`, and its phrasings prepared when that took several cores.

    Read in one part, the phrasings are left to the bot to prepare with its own
    normalizer (None): preparing them here would only mean doing it twice.
    """
    support = read_support(root)
    files = support.topic_files
    sizes = [_size(path) for path in files]
    groups = _balanced(files, sizes, _parts_worth_having(sum(sizes)))
    if len(groups) == 1:
        return assembled(
            support, read_topic_files(files, support.practice, support.settings.max_file_bytes)
        ), None
    parts = _read_in_parts(groups, support)
    knowledge = assembled(support, _joined([part.topic_files for part in parts]))
    return knowledge, _joined([part.prepared for part in parts])


def _read_in_parts(groups: list[list[Path]], support: Support) -> list[Part]:
    """The first group read here, each other one by a helper started first, so all run at once."""
    with ExitStack() as running:
        helpers = [
            running.enter_context(_Helper(partial(_read_part, group, support)))
            for group in groups[1:]
        ]
        parts = [_read_part(groups[0], support)]
        for group, helper in zip(groups[1:], helpers, strict=True):
            parts.append(helper.result() or _read_part(group, support))
    return parts


def _joined(parts: list[Joinable]) -> Joinable:
    """Parts read in file order, as one read: each list field concatenated, each set united."""
    fields = zip(*parts, strict=True)
    return type(parts[0])(*(_concatenated(values) for values in fields))


def _concatenated(values: tuple[Any, ...]) -> Any:
    if isinstance(values[0], set):
        return set().union(*values)
    return [item for value in values for item in value]


def _read_part(files: Sequence[Path], support: Support) -> Part:
    """Read `files` and prepare their phrasings with a normalizer of their own."""
    topic_files = read_topic_files(files, support.practice, support.settings.max_file_bytes)
    normalizer = Normalizer.configured(support.synonyms, support.settings, support.common_words)
    return Part(topic_files, prepare(topic_files.entries, normalizer))


def _parts_worth_having(total_bytes: int) -> int:
    """How many parts to read at once: 1 when helpers would not pay (see the module doc)."""
    if total_bytes < HELPER_MIN_BYTES or sys.platform != "linux" or threading.active_count() > 1:
        return 1
    cores = len(os.sched_getaffinity(0))
    return max(1, min(cores, MAX_PARTS, total_bytes // PART_MIN_BYTES))


def _balanced(files: list[Path], sizes: list[int], count: int) -> list[list[Path]]:
    """`files` cut, in order, into `count` runs of about equal size, none empty."""
    count = max(1, min(count, len(files)))
    before = list(accumulate(sizes, initial=0))  # bytes in files[:i]
    cuts = [0]
    for part in range(1, count):
        goal = before[-1] * part / count
        allowed = range(cuts[-1] + 1, len(files) - (count - part) + 1)
        cuts.append(min(allowed, key=lambda i: abs(before[i] - goal)))
    cuts.append(len(files))
    return [files[start:end] for start, end in pairwise(cuts)]


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0  # reading it will say what is wrong


class _Helper:
    """`work()` in a forked process; `result()` is its value, or None if it failed."""

    def __init__(self, work: Callable[[], Part]) -> None:
        self._work = work
        self._process: BaseProcess | None = None
        self._receiver: Connection | None = None

    def __enter__(self) -> _Helper:
        try:
            import multiprocessing

            context = multiprocessing.get_context("fork")
            self._receiver, sender = context.Pipe(duplex=False)
            self._process = context.Process(target=_send, args=(self._work, sender), daemon=True)
            self._process.start()
            sender.close()
        except Exception:  # no processes here (a sandbox, a limit reached): do it ourselves
            self._process = None
        return self

    def result(self) -> Part | None:
        if self._process is None or self._receiver is None:
            return None
        try:
            found = self._receiver.recv()
        except Exception:  # the helper died or sent nothing
            return None
        return found if isinstance(found, Part) else None

    def __exit__(self, *_: object) -> None:
        if self._receiver is not None:
            self._receiver.close()
        if self._process is not None:
            if self._process.is_alive():
                self._process.terminate()
            self._process.join()


def _send(work: Callable[[], Part], sender: Connection) -> None:
    """In the helper: send the part, or nothing (the parent then reads it and reports)."""
    try:
        sender.send(work())
    except Exception:
        return
    finally:
        sender.close()
