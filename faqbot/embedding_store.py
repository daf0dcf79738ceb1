"""Remember the vectors of knowledge-base texts, so a rebuild encodes only what is new.

Every knowledge-base build embeds thousands of texts (paraphrases, the safety
exemplar bank) and the tests build many knowledge bases; encoding them all again
each time costs seconds.  `EmbeddingStore.embed(texts)` looks each text up by its
SHA-1 in one file per model (`embeddings-<model sha256 prefix>.npz` in the faqbot
cache folder, see `faqbot.bot_cache.cache_dir`), encodes only the texts it has not
seen, and appends them.  The file holds plain arrays (read with
`allow_pickle=False`), is replaced atomically, keeps at most `LIMIT` vectors (the
oldest go first) and is refused when another user could have written it.

Only knowledge-base texts belong here, never what a visitor typed: a vector says a
lot about its text.  Encode messages with `faqbot.encoder` directly.
"""

from __future__ import annotations

import hashlib
import os
import sys
import weakref
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, TextIO

from faqbot.bot_cache import cache_dir
from faqbot.private_files import unsafe_reason

if TYPE_CHECKING:
    import numpy

# 60,000 vectors of 384 floats are 92 MB.  The bundled knowledge base alone holds about
# 18,000 texts (the exemplar bank, the phrasings, the pieces `faqbot check` reads), and a
# maintainer's edited copy or a second knowledge base must not push the first one out.
LIMIT = 60_000
PREFIX = "embeddings-"
# Files of other models (an older or a candidate model.onnx) kept beside the current one.
KEEP_FILES = 2
# Per encoder, what this process has embedded: a reload, a second knowledge base or a cache
# that is off or refused costs only the new texts (the file carries them across processes).
_IN_PROCESS: weakref.WeakKeyDictionary[TextEncoder, dict[bytes, numpy.ndarray]] = (
    weakref.WeakKeyDictionary()
)


class TextEncoder(Protocol):
    """What the store needs of an encoder (`faqbot.encoder.Encoder` is one)."""

    model_sha256: str

    def encode(self, texts: Sequence[str]) -> numpy.ndarray: ...


class EmbeddingStore:
    """`embed(texts)`: the encoder's vectors, from the memo where it has them."""

    def __init__(
        self,
        encoder: TextEncoder,
        folder: Path | None,
        limit: int = LIMIT,
        stderr: TextIO | None = None,
    ) -> None:
        self.encoder = encoder
        self.folder = folder
        self.limit = limit
        self._stderr = stderr
        self._refused = False

    @classmethod
    def in_cache_folder(cls, encoder: TextEncoder) -> EmbeddingStore:
        """The store in faqbot's cache folder (none when `FAQBOT_CACHE=off`)."""
        return cls(encoder, cache_dir())

    @property
    def path(self) -> Path | None:
        """The file holding this model's vectors, or None without a folder."""
        if self.folder is None:
            return None
        return store_file(self.folder, self.encoder.model_sha256)

    def embed(self, texts: Sequence[str]) -> numpy.ndarray:
        """One row per text, in order; only texts never seen before are encoded.

        Seen means by this process (for this encoder) or in the store's file.
        """
        import numpy as np

        if not texts:
            return self.encoder.encode([])
        memory = _IN_PROCESS.setdefault(self.encoder, {})
        keys = [text_digest(text) for text in texts]
        unseen = {key: text for key, text in zip(keys, texts, strict=True) if key not in memory}
        if unseen:
            found = self._stored(list(unseen.values()))
            memory.update(zip(unseen, found, strict=True))
        rows = np.stack([memory[key] for key in keys])
        for old in list(memory)[: max(0, len(memory) - self.limit)]:
            del memory[old]
        return rows

    def _stored(self, texts: Sequence[str]) -> numpy.ndarray:
        """`texts`' rows from the store's file, encoding (and appending) those it lacks."""
        import numpy as np

        keys = [text_digest(text) for text in texts]
        digests, vectors = self._read()
        row_of = {digest: row for row, digest in enumerate(digests)}
        new = {key: text for key, text in zip(keys, texts, strict=True) if key not in row_of}
        if new:
            fresh = np.asarray(self.encoder.encode(list(new.values())), dtype=np.float32)
            digests = [*digests, *new]
            vectors = fresh if vectors is None else np.concatenate([vectors, fresh])
            row_of.update((key, len(digests) - len(new) + i) for i, key in enumerate(new))
            self._write(digests[-self.limit :], vectors[-self.limit :])
        return vectors[[row_of[key] for key in keys]]

    def _read(self) -> tuple[list[bytes], numpy.ndarray | None]:
        """What the file holds for this model; nothing when it is missing, foreign or corrupt."""
        import numpy as np

        path = self.path
        if path is None or not self._trusted_folder():
            return [], None
        try:
            descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
        except OSError:
            return [], None
        with os.fdopen(descriptor, "rb") as file:
            if not self._trusted(os.fstat(descriptor), path):
                return [], None
            try:
                with np.load(file, allow_pickle=False) as data:
                    return _checked(data, self.encoder.model_sha256)
            except Exception:  # truncated, not an .npz, wrong shapes: build afresh
                return [], None

    def _write(self, digests: list[bytes], vectors: numpy.ndarray) -> None:
        """Atomically (a temporary file in the same folder, then os.replace); never an error."""
        import numpy as np

        path = self.path
        if path is None or not self._trusted_folder():
            return
        import tempfile  # only on writing: a start from the cache never needs it

        descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=".embeddings-")
        try:
            with os.fdopen(descriptor, "wb") as file:
                np.savez(
                    file,
                    digests=np.frombuffer(b"".join(digests), dtype=np.uint8).reshape(-1, 20),
                    vectors=vectors,
                    model=np.array(self.encoder.model_sha256, dtype="S64"),
                )
            os.replace(temporary, path)
            _forget_other_models(path, KEEP_FILES)
        except Exception:
            Path(temporary).unlink(missing_ok=True)

    def _trusted_folder(self) -> bool:
        """The folder exists (made 0700 if need be), is ours and only we can write to it."""
        if self._refused or self.folder is None:
            return False
        try:
            self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            return self._trusted(os.stat(self.folder), self.folder)
        except OSError:
            return False

    def _trusted(self, status: os.stat_result, path: Path) -> bool:
        """False, with one line on stderr, for a file or folder another user could change."""
        foreign = unsafe_reason(status) is not None  # the start-up cache's own check
        if foreign and not self._refused:
            self._refused = True
            print(
                f"faqbot: not using the embedding cache: {path} is not yours alone "
                "(another owner, or writable by group or others); building without it.",
                file=self._stderr or sys.stderr,
            )
        return not foreign


def store_file(folder: Path, model_sha256: str) -> Path:
    """The file in `folder` that holds the vectors of the model with this SHA-256."""
    return folder / f"{PREFIX}{model_sha256[:16]}.npz"


def text_digest(text: str) -> bytes:
    """The 20-byte SHA-1 a text is filed under (any str, even with lone surrogates);
    stored as uint8 rows, since numpy's bytes type would drop a digest's trailing zeros."""
    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).digest()


def _checked(data: numpy.lib.npyio.NpzFile, model: str) -> tuple[list[bytes], numpy.ndarray]:
    """The file's digests and vectors, if they are of this model and of matching shapes."""
    digests, vectors = data["digests"], data["vectors"]
    if (
        data["model"].item().decode("ascii") != model
        or digests.dtype != "uint8"
        or digests.shape != (len(vectors), 20)
        or vectors.dtype != "float32"
        or vectors.ndim != 2
    ):
        raise ValueError("not this model's store")
    raw = digests.tobytes()
    return [raw[start : start + 20] for start in range(0, len(raw), 20)], vectors


def _forget_other_models(current: Path, keep: int) -> None:
    """Delete the store files least recently written beyond the newest `keep`."""
    files = sorted(
        current.parent.glob(f"{PREFIX}*.npz"), key=lambda p: p.stat().st_mtime_ns, reverse=True
    )
    for stale in files[keep:]:
        stale.unlink(missing_ok=True)
