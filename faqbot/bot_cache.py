"""Start fast: keep the built bot in a per-user cache, keyed by the knowledge base's files.

Reading the YAML, normalizing every paraphrase and compiling the safety
phrases costs more than answering the question, on every `faqbot ask`.  The
built `Bot` is pickled (`faqbot.cache_file`: its arrays mapped, not copied, on
load) to `$XDG_CACHE_HOME/faqbot` (or `~/.cache/faqbot`) and
reused while the knowledge base's files, faqbot's code, the sentence-encoder
model (by the SHA-256 its manifest records) and Python's version are unchanged;
any change, or any problem reading the cache, means a fresh build.
The cache holds only the knowledge base, never anything a visitor typed, and
remembers the last `KEEP` knowledge base folders used.
`FAQBOT_CACHE=off` turns it off; `FAQBOT_CACHE=DIR` puts it elsewhere.

Unpickling runs code, so a folder or file that anyone but this user could have
written is refused before anything is read (`faqbot.private_files`): faqbot says
so once on stderr and builds without the cache.
"""

from __future__ import annotations

import os
import sys
import zlib
from collections.abc import Callable
from pathlib import Path

from faqbot import __version__, cache_file
from faqbot.encoder import EncoderError, model_sha256
from faqbot.fingerprint import LANGUAGE_FILES, knowledge_fingerprint
from faqbot.private_files import UnsafeFileError, open_private, private_folder, write_private

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
    folder = _usable_folder()
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


_warned: set[str] = set()


def _usable_folder() -> Path | None:
    """The cache folder, or None when it is off or could hold someone else's pickle."""
    folder = cache_dir()
    if folder is None:
        return None
    try:
        return private_folder(folder)
    except UnsafeFileError as error:
        _warn_once(f"faqbot: not using the start-up cache: {error}")
    except OSError:
        pass  # cannot create it (read-only home): build every time, as with the cache off
    return None


def _warn_once(message: str) -> None:
    if message not in _warned:
        _warned.add(message)
        print(message, file=sys.stderr)


def _code_fingerprint() -> tuple[tuple[str, int, int], ...]:
    """The core's own modules and language data: an edited checkout must not load a bot
    pickled by old code or built from old word lists."""
    package = Path(__file__).parent
    code = knowledge_fingerprint(package, patterns=("*.py",), recursive=False)
    return code + knowledge_fingerprint(package / "languages", patterns=LANGUAGE_FILES)


def _model_fingerprint() -> str:
    """The encoder model's hash: a bot holding embeddings must not outlive its model."""
    try:
        return model_sha256()
    except EncoderError:  # no model shipped: the bot cannot hold embeddings from one
        return "no model"


def _read(path: Path) -> object | None:
    try:
        with open_private(path) as file:  # checked on the open file, before unpickling
            return cache_file.load(file)
    except UnsafeFileError as error:
        _warn_once(f"faqbot: not using the start-up cache: {error}")
        return None
    except Exception:  # missing, truncated, from another version: build afresh
        return None


def _write(path: Path, value: object) -> None:
    """Atomically, readable by the user only; failing to cache is never an error."""
    try:
        write_private(path, lambda file: cache_file.dump(value, file))
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
