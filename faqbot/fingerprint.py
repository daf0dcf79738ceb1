"""What identifies one version of a knowledge base on disk: its files' names, sizes and times.

Two things need to know when the knowledge base changed without reading it:
the reloader behind `faqbot serve --watch`, and the start-up cache.
"""

from __future__ import annotations

from pathlib import Path

# What a knowledge base is made of: the YAML files and the word list (common_words.txt).
KNOWLEDGE_FILES = ("*.yaml", "*.yml", "*.txt")
# What faqbot's language data is made of (faqbot/languages/): YAML, and the safety
# layer's real-word lists (languages/safety/real_words.<language>.txt).
LANGUAGE_FILES = ("*.yaml", "*.txt")
Fingerprint = tuple[tuple[str, int, int], ...]


def knowledge_fingerprint(
    root: Path, patterns: tuple[str, ...] = KNOWLEDGE_FILES, recursive: bool = True
) -> Fingerprint:
    """(relative path, mtime in ns, size) of every matching file under `root`, sorted."""
    find = root.rglob if recursive else root.glob
    files = sorted(p for pattern in patterns for p in find(pattern))
    stamps = []
    for path in files:
        try:
            stat = path.stat()
        except OSError:  # deleted between listing and stat: the next check sees it gone
            continue
        stamps.append((path.relative_to(root).as_posix(), stat.st_mtime_ns, stat.st_size))
    return tuple(stamps)
