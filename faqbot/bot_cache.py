"""Start fast: keep the built bot in a per-user cache, keyed by the knowledge base's files.

Reading the YAML, normalizing every paraphrase and compiling the safety
phrases costs more than answering the question, on every `faqbot ask`.  The
built `Bot` is pickled to `$XDG_CACHE_HOME/faqbot` (or `~/.cache/faqbot`) and
reused while the knowledge base's files, faqbot's code, the sentence-encoder
model (by the SHA-256 its manifest records) and Python's version are unchanged;
any change, or any problem reading the cache, means a fresh build.
The cache holds only the knowledge base, never anything a visitor typed, and
remembers the last `KEEP` knowledge base folders used.
`FAQBOT_CACHE=off` turns it off; `FAQBOT_CACHE=DIR` puts it elsewhere.
"""

from __future__ import annotations

import os
import pickle
import sys
import zlib
from collections.abc import Callable
from pathlib import Path

from faqbot import __version__
from faqbot.encoder import EncoderError, model_sha256
from faqbot.fingerprint import knowledge_fingerprint

CACHE_ENV = "FAQBOT_CACHE"
OFF = ("off", "0", "no", "false")
# Knowledge base folders remembered at once; a maintainer trying many copies would
# otherwise leave a file behind for each (about 0.7 MB for the shipped one).
KEEP = 8


def cache_dir() -> Path | None:
    """Where the cache lives, or None when it is turned off."""
    setting = os.environ.get(CACHE_ENV, "")
    if setting.lower() in OFF:
        return None
    if setting:
        return Path(setting)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "faqbot"


def cached(root: Path, build: Callable[[Path], object]) -> object:
    """`build(root)`, or the copy cached for exactly these files."""
    folder = cache_dir()
    if folder is None:
        return build(root)
    resolved = str(root.resolve())
    # One file per knowledge base folder; the key inside says which version it holds.
    path = folder / f"kb-{zlib.crc32(resolved.encode('utf-8', 'surrogatepass')):08x}.pickle"
    key = (
        __version__,
        sys.version,
        _code_fingerprint(),
        _model_fingerprint(),
        resolved,
        knowledge_fingerprint(root),
    )
    found = _read(path)
    if isinstance(found, tuple) and len(found) == 2 and found[0] == key:
        return found[1]
    built = build(root)
    _write(path, (key, built))
    return built


def _code_fingerprint() -> tuple[tuple[str, int, int], ...]:
    """The core's own modules and language data: an edited checkout must not load a bot
    pickled by old code or built from old word lists."""
    package = Path(__file__).parent
    code = knowledge_fingerprint(package, patterns=("*.py",), recursive=False)
    return code + knowledge_fingerprint(package / "languages", patterns=("*.yaml",))


def _model_fingerprint() -> str:
    """The encoder model's hash: a bot holding embeddings must not outlive its model."""
    try:
        return model_sha256()
    except EncoderError:  # no model shipped: the bot cannot hold embeddings from one
        return "no model"


def _read(path: Path) -> object | None:
    try:
        with path.open("rb") as file:
            return pickle.load(file)  # our own file, in the user's own 0700 cache folder
    except Exception:  # missing, truncated, from another version: build afresh
        return None


def _write(path: Path, value: object) -> None:
    """Atomically, readable by the user only; failing to cache is never an error."""
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "wb") as file:
            pickle.dump(value, file, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, path)
        _forget_all_but_newest(path.parent, KEEP)
    except Exception:
        return


def _forget_all_but_newest(folder: Path, keep: int) -> None:
    """Remove the cached bots least recently written, beyond the newest `keep`."""
    cached_files = sorted(
        folder.glob("kb-*.pickle"), key=lambda p: p.stat().st_mtime_ns, reverse=True
    )
    for stale in cached_files[keep:]:
        stale.unlink(missing_ok=True)
