"""Sentence embeddings on the CPU: all-MiniLM-L6-v2 as one ONNX graph, shipped in the package.

Safety and retrieval both need to know what a message *means*, not only which words
it uses.  The graph (made by `faqbot/models/export_minilm.py`) already mean-pools and
L2-normalises, so a row of `Encoder.encode` is a unit vector and a dot product is a
cosine.  One `InferenceSession` per process (`shared_encoder()`), one thread per
call, sequential execution and one text per run: a text gets bit-identical vectors
in any call, whatever else the call holds.  onnxruntime, tokenizers and numpy are
imported only when a model is loaded, so a command that never encodes never pays for
them; `model_sha256()` reads the manifest only.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy

MODEL_DIR = Path(__file__).parent / "models" / "minilm"
DIMENSIONS = 384
# The tokenizer cuts at 128 tokens; 128 tokens of real text are well under 4,096
# characters, so cutting first keeps a megabyte of input from costing a megabyte of work.
MAX_CHARS = 4096
# One text per session call by default.  The int8 graph quantizes activations with one
# scale per tensor, so batch mates and their padding would move a text's vector (cosine
# down to 0.95 for a short text beside a long one); alone, a text's vector is the same in
# any call, and a message's whole text plus its sentences (mixed lengths) cost less than
# padded together.  A larger `max_batch` (for a full-precision graph) sorts the texts by
# length and pads each group to its own longest.
ONE_TEXT_PER_CALL = 1
# onnxruntime's own opt-out of its telemetry (see `imported_onnxruntime`).
TELEMETRY_SWITCH = "ORT_DISABLE_TELEMETRY"


class EncoderError(Exception):
    """The sentence-encoder model cannot be used: missing, truncated or corrupt files."""


@lru_cache(maxsize=4)
def manifest(folder: Path = MODEL_DIR) -> dict[str, Any]:
    """The shipped model's provenance and hashes (`manifest.json`)."""
    path = folder / "manifest.json"
    try:
        found = json.loads(path.read_text(encoding="utf-8"))
        usable = isinstance(found["model"]["sha256"], str) and found["model"]["bytes"] > 0
    except (OSError, ValueError, KeyError, TypeError):
        usable = False
    if not usable:
        raise EncoderError(f"{path}: the model manifest is missing or unreadable.")
    return found


def model_sha256(folder: Path = MODEL_DIR) -> str:
    """SHA-256 of the shipped model.onnx, from the manifest (a test checks it against the file)."""
    return str(manifest(folder)["model"]["sha256"])


class Encoder:
    """One loaded model: `encode(texts)` returns an (n, 384) float32 array of unit rows."""

    def __init__(
        self,
        folder: Path = MODEL_DIR,
        model_file: Path | None = None,
        max_batch: int = ONE_TEXT_PER_CALL,
    ) -> None:
        model_path = model_file or folder / "model.onnx"
        expected = manifest(folder)["model"]["bytes"] if model_file is None else None
        # A candidate file outside the manifest (benchmarks) is hashed: 0.1 s, never at run time.
        self.model_sha256 = model_sha256(folder) if model_file is None else _file_sha256(model_path)
        self._tokenizer = _load_tokenizer(folder / "tokenizer.json")
        self._session = _load_session(model_path, expected)
        self._pad_id = self._tokenizer.token_to_id("[PAD]") or 0
        self.max_batch = max(1, max_batch)

    def encode(self, texts: Sequence[str]) -> numpy.ndarray:
        """Embed `texts` in one call: rows in the order given, each of unit length."""
        return self.encode_ids(self.token_ids(texts))

    def token_ids(self, texts: Sequence[str]) -> list[tuple[int, ...]]:
        """What the model sees of each text: equal ids give equal vectors."""
        if isinstance(texts, str):
            raise TypeError("Encoder.encode takes a sequence of texts, not one string")
        return [tuple(self._tokenizer.encode(_safe_text(text)).ids) for text in texts]

    def encode_ids(self, ids: Sequence[Sequence[int]]) -> numpy.ndarray:
        """`encode` for texts already tokenized (`token_ids`)."""
        import numpy as np

        out = np.zeros((len(ids), DIMENSIONS), dtype=np.float32)
        order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
        for start in range(0, len(order), self.max_batch):
            rows = order[start : start + self.max_batch]
            out[rows] = self._run([ids[i] for i in rows])
        return out

    def _run(self, batch: list[Sequence[int]]) -> numpy.ndarray:
        """One session call on texts padded to the longest of them."""
        import numpy as np

        width = max(len(row) for row in batch)
        input_ids = np.full((len(batch), width), self._pad_id, dtype=np.int64)
        mask = np.zeros((len(batch), width), dtype=np.int64)
        for i, row in enumerate(batch):
            input_ids[i, : len(row)] = row
            mask[i, : len(row)] = 1
        feeds = {"input_ids": input_ids, "attention_mask": mask}
        return self._session.run(None, feeds)[0]


def _safe_text(text: str) -> str:
    """Bounded and encodable: lone surrogates (from undecodable bytes) become '?'."""
    text = str(text)[:MAX_CHARS]
    return text.encode("utf-8", "replace").decode("utf-8")


def _file_sha256(path: Path) -> str:
    """Hex SHA-256 of a file ('' when it cannot be read: loading it will say why)."""
    import hashlib

    try:
        with path.open("rb") as file:
            return hashlib.file_digest(file, "sha256").hexdigest()
    except OSError:
        return ""


def _load_tokenizer(path: Path) -> Any:
    """The shipped tokenizer (no fixed padding; truncation at 128 tokens)."""
    from tokenizers import Tokenizer

    try:
        tokenizer = Tokenizer.from_file(str(path))
    except Exception as error:
        raise EncoderError(f"{path}: the tokenizer is missing or corrupt ({error}).") from None
    tokenizer.no_padding()
    return tokenizer


def _load_session(path: Path, expected_bytes: int | None) -> Any:
    """An onnxruntime session on one thread, sequential, with every graph optimisation."""
    onnxruntime = imported_onnxruntime()

    if not path.is_file():
        raise EncoderError(f"{path}: the sentence-encoder model is missing; reinstall faqbot.")
    if expected_bytes is not None and path.stat().st_size != expected_bytes:
        raise EncoderError(f"{path}: the model file has the wrong size (truncated or replaced).")
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    options.execution_mode = onnxruntime.ExecutionMode.ORT_SEQUENTIAL
    options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
    options.log_severity_level = 3
    try:
        return onnxruntime.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
    except Exception as error:
        first_line = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise EncoderError(f"{path}: the model file is corrupt ({first_line}).") from None


def imported_onnxruntime() -> Any:
    """onnxruntime, imported with its telemetry off unless the operator turned it on.

    Official onnxruntime builds for Linux and macOS (1.32 and later) collect telemetry
    from the moment they are imported: a device id and a queue of events for Microsoft's
    collector, under the user's cache folder.  Nothing about a visit to a therapist's
    website leaves the machine, so `ORT_DISABLE_TELEMETRY` is set to 1 before the import
    (the runtime reads it once per process), unless it is set already.
    """
    os.environ.setdefault(TELEMETRY_SWITCH, "1")
    import onnxruntime

    return onnxruntime


_lock = threading.Lock()


class MessageEncoder:
    """One visitor message's encoder: each distinct text is tokenized and run once, then
    remembered.

    The safety layer encodes the message and its sentences and its word model reads their
    tokens, and retrieval encodes the message and the sentence that asks: mostly the same
    texts and token sequences (the tokenizer lowercases).  One memo per message lets all of
    them share the work; it lives as long as the reply, so no visitor text outlives it.  The
    model is loaded on the first text, not before.
    """

    def __init__(self, encoder: Callable[[], Encoder]) -> None:
        self._encoder = encoder
        self._ids: dict[str, tuple[int, ...]] = {}
        self._rows: dict[tuple[int, ...], numpy.ndarray] = {}

    def encode(self, texts: Sequence[str]) -> numpy.ndarray:
        """`Encoder.encode`, running only the texts this message has not run yet."""
        import numpy as np

        ids = self.token_ids(texts)
        new = [key for key in dict.fromkeys(ids) if key not in self._rows]
        if new:
            self._rows.update(zip(new, self._encoder().encode_ids(new), strict=True))
        if not ids:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        return np.stack([self._rows[key] for key in ids])

    def token_ids(self, texts: Sequence[str]) -> list[tuple[int, ...]]:
        """`Encoder.token_ids`, tokenizing only the texts this message has not seen yet."""
        if isinstance(texts, str):
            raise TypeError("MessageEncoder.token_ids takes a sequence of texts, not one string")
        new = [text for text in dict.fromkeys(texts) if text not in self._ids]
        if new:
            self._ids.update(zip(new, self._encoder().token_ids(new), strict=True))
        return [self._ids[text] for text in texts]


_shared: tuple[int, Encoder] | None = None


def shared_encoder() -> Encoder:
    """The process's one encoder, loaded on first use (a forked worker loads its own)."""
    global _shared
    with _lock:
        if _shared is None or _shared[0] != os.getpid():
            _shared = (os.getpid(), Encoder())
        return _shared[1]
