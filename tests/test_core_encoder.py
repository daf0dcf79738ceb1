"""The sentence encoder (unit vectors that mean something, the same every time, on any input)
and the store that remembers the vectors of knowledge-base texts."""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from faqbot.bot_cache import CACHE_ENV, cache_dir
from faqbot.embedding_store import EmbeddingStore
from faqbot.encoder import (
    MODEL_DIR,
    Encoder,
    EncoderError,
    MessageEncoder,
    model_sha256,
    shared_encoder,
)


@pytest.fixture(scope="module")
def encoder() -> Encoder:
    return shared_encoder()


def test_each_text_becomes_one_unit_row_of_384_floats(encoder: Encoder) -> None:
    vectors = encoder.encode(["hello", "how much does a session cost", ""])
    assert vectors.shape == (3, 384) and vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_no_texts_give_an_empty_384_wide_array(encoder: Encoder) -> None:
    assert encoder.encode([]).shape == (0, 384)


def test_the_same_call_gives_bit_identical_vectors(encoder: Encoder) -> None:
    texts = ["short", "a somewhat longer question about parking near the office", "short"]
    first = encoder.encode(texts)
    assert np.array_equal(first, encoder.encode(texts))
    assert np.array_equal(first[0], first[2])


def test_a_texts_vector_does_not_depend_on_what_else_is_in_the_call(encoder: Encoder) -> None:
    texts = ["a much longer sentence about booking a first appointment online", "hi", "ok then"]
    together = encoder.encode(texts)
    for row, text in zip(together, texts, strict=True):
        assert np.array_equal(row, encoder.encode([text])[0])


class RunCountingEncoder(Encoder):
    """The shipped encoder, counting the texts it runs through the model."""

    def __init__(self) -> None:
        self.__dict__.update(shared_encoder().__dict__)
        self.runs = 0

    def encode_ids(self, ids: Sequence[Sequence[int]]) -> np.ndarray:
        self.runs += len(ids)
        return super().encode_ids(ids)


def test_a_message_encoder_runs_each_distinct_text_once_with_the_same_vectors() -> None:
    counting = RunCountingEncoder()
    memo = MessageEncoder(lambda: counting)
    first = memo.encode(["Is there homework?", "my partner won't come"])
    # The tokenizer lowercases and drops the case: the same ids, no second run.
    again = memo.encode(["is there HOMEWORK?", "is there homework?", "a new sentence"])
    assert counting.runs == 3
    assert np.array_equal(again[0], first[0]) and np.array_equal(again[1], first[0])
    assert np.array_equal(
        again, shared_encoder().encode(["is there homework?"] * 2 + ["a new sentence"])
    )
    assert memo.encode([]).shape == (0, 384)


def test_a_reply_encodes_the_sentences_safety_and_retrieval_share_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from faqbot import encoder as encoder_module
    from faqbot.bot import Bot

    bot = Bot.load()
    counting = RunCountingEncoder()
    monkeypatch.setattr(encoder_module, "shared_encoder", lambda: counting)
    bot.reply("We have been together for ten years. Is there homework between sessions?")
    # Safety: the whole message and its two sentences; retrieval asks for the whole
    # message and the asking sentence again, which the message's memo already holds.
    assert counting.runs == 3


def test_padded_batches_return_rows_in_the_order_given() -> None:
    texts = ["a much longer sentence about booking a first appointment online", "hi", "ok then"]
    batched = Encoder(max_batch=8).encode(texts)
    alone = shared_encoder().encode(texts)
    assert list((batched @ alone.T).argmax(axis=1)) == [0, 1, 2]


@pytest.mark.parametrize(
    ("question", "near", "far"),
    [
        (
            "do i have to take my clothes off",
            "is there nudity in sessions",
            "how much does it cost",
        ),
        ("what are your fees", "how much does a session cost", "do i need to undress"),
        ("can my wife come too", "may I bring my partner to therapy", "where do I park my car"),
        ("i want to die", "I am going to kill myself", "I want to dye my hair"),
    ],
)
def test_a_paraphrase_is_clearly_nearer_than_an_unrelated_question(
    encoder: Encoder, question: str, near: str, far: str
) -> None:
    q, n, f = encoder.encode([question, near, far])
    assert q @ n > q @ f + 0.15


def test_a_megabyte_of_text_is_cut_to_its_start_not_an_error(encoder: Encoder) -> None:
    huge = "is there homework between sessions " * 30_000
    assert len(huge) > 1_000_000
    vector = encoder.encode([huge])
    np.testing.assert_allclose(vector, encoder.encode([huge[:4096]]), atol=1e-6)


@pytest.mark.parametrize(
    "text",
    [
        "\x00\x01\x02\x1b[31m\x7f",
        "caf\udce9 undecodable bytes",
        "\ud800 lone surrogate",
        "<script>alert(1)</script>",
        "🔪💀🪦 ⚰️",
        "\u200b\u200d\ufeff\u202e",
        " " * 10_000,
    ],
)
def test_binary_control_and_odd_characters_still_give_a_unit_vector(
    encoder: Encoder, text: str
) -> None:
    vector = encoder.encode([text])
    assert vector.shape == (1, 384)
    assert abs(float(np.linalg.norm(vector)) - 1.0) < 1e-5


def test_the_manifest_hash_and_size_are_those_of_the_shipped_model() -> None:
    model = MODEL_DIR / "model.onnx"
    digest = hashlib.sha256(model.read_bytes()).hexdigest()
    facts = json.loads((MODEL_DIR / "manifest.json").read_text(encoding="utf-8"))["model"]
    assert model_sha256() == digest
    assert facts["bytes"] == model.stat().st_size


def test_the_shipped_tokenizer_pads_to_nothing_and_truncates_at_128() -> None:
    settings = json.loads((MODEL_DIR / "tokenizer.json").read_text(encoding="utf-8"))
    assert settings["padding"] is None
    assert settings["truncation"]["max_length"] == 128


def test_one_string_instead_of_a_list_is_refused(encoder: Encoder) -> None:
    with pytest.raises(TypeError):
        encoder.encode("hello")


def test_the_process_shares_one_encoder() -> None:
    assert shared_encoder() is shared_encoder()


def copy_of_model_folder(tmp_path: Path, model: bytes) -> Path:
    """A model folder with the shipped tokenizer and `model` as its graph."""
    folder = tmp_path / "minilm"
    folder.mkdir()
    shutil.copyfile(MODEL_DIR / "tokenizer.json", folder / "tokenizer.json")
    (folder / "model.onnx").write_bytes(model)
    manifest = {"model": {"sha256": hashlib.sha256(model).hexdigest(), "bytes": len(model)}}
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return folder


def test_a_missing_model_is_a_named_error_saying_which_file(tmp_path: Path) -> None:
    folder = copy_of_model_folder(tmp_path, b"x")
    (folder / "model.onnx").unlink()
    with pytest.raises(EncoderError, match=r"model\.onnx: the sentence-encoder model is missing"):
        Encoder(folder)


def test_a_corrupt_model_is_a_named_error(tmp_path: Path) -> None:
    with pytest.raises(EncoderError, match=r"model\.onnx: the model file is corrupt"):
        Encoder(copy_of_model_folder(tmp_path, b"not an onnx graph" * 100))


def test_a_truncated_model_is_caught_by_its_size_before_loading(tmp_path: Path) -> None:
    folder = copy_of_model_folder(tmp_path, b"0123456789")
    (folder / "model.onnx").write_bytes(b"01234")
    with pytest.raises(EncoderError, match="wrong size"):
        Encoder(folder)


def test_a_missing_manifest_is_a_named_error(tmp_path: Path) -> None:
    folder = copy_of_model_folder(tmp_path, b"x")
    (folder / "manifest.json").unlink()
    with pytest.raises(EncoderError, match="manifest"):
        Encoder(folder)


class CountingEncoder:
    """A stand-in encoder: 4-d vectors from each text's hash, and a record of what it encoded."""

    def __init__(self, model_sha256: str = "a" * 64) -> None:
        self.model_sha256 = model_sha256
        self.calls: list[list[str]] = []

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        self.calls.append(list(texts))
        rows = [np.frombuffer(hashlib.sha256(t.encode()).digest()[:16], np.float32) for t in texts]
        return np.array(rows, dtype=np.float32).reshape(len(texts), 4)


def test_the_store_encodes_only_texts_it_has_not_seen(tmp_path: Path) -> None:
    first = CountingEncoder()
    EmbeddingStore(first, tmp_path).embed(["parking", "fees"])
    later = CountingEncoder()
    vectors = EmbeddingStore(later, tmp_path).embed(["fees", "homework", "parking", "homework"])
    assert later.calls == [["homework"]]
    expected = CountingEncoder().encode(["fees", "homework", "parking", "homework"])
    assert np.array_equal(vectors, expected)


def test_the_store_keeps_each_models_vectors_apart(tmp_path: Path) -> None:
    EmbeddingStore(CountingEncoder("a" * 64), tmp_path).embed(["parking"])
    other = CountingEncoder("b" * 64)
    EmbeddingStore(other, tmp_path).embed(["parking"])
    assert other.calls == [["parking"]]


def test_a_corrupt_store_file_is_rebuilt(tmp_path: Path) -> None:
    store = EmbeddingStore(CountingEncoder(), tmp_path)
    store.embed(["parking"])
    assert store.path is not None
    store.path.write_bytes(b"PK\x03\x04 not really a zip file")
    again = CountingEncoder()
    assert np.array_equal(
        EmbeddingStore(again, tmp_path).embed(["parking"]), again.encode(["parking"])
    )
    reader = CountingEncoder()
    EmbeddingStore(reader, tmp_path).embed(["parking"])
    assert reader.calls == []


def test_the_store_refuses_a_folder_others_can_write(tmp_path: Path) -> None:
    folder = tmp_path / "shared"
    folder.mkdir()
    folder.chmod(0o775)
    warnings = io.StringIO()
    encoder = CountingEncoder()
    store = EmbeddingStore(encoder, folder, stderr=warnings)
    store.embed(["parking"])
    store.embed(["parking"])
    # Nothing read from or written to the folder; the process remembers what it encoded.
    assert encoder.calls == [["parking"]]
    assert list(folder.iterdir()) == []
    assert warnings.getvalue().count("\n") == 1 and "not yours alone" in warnings.getvalue()


def test_the_store_writes_a_private_file(tmp_path: Path) -> None:
    store = EmbeddingStore(CountingEncoder(), tmp_path / "cache")
    store.embed(["parking"])
    assert store.path is not None and store.path.stat().st_mode & 0o077 == 0


def test_without_a_folder_the_store_remembers_within_the_process_only(tmp_path: Path) -> None:
    encoder = CountingEncoder()
    EmbeddingStore(encoder, None).embed(["parking"])
    EmbeddingStore(encoder, None).embed(["parking", "fees"])
    assert encoder.calls == [["parking"], ["fees"]]
    assert not list(tmp_path.iterdir())


def test_the_cache_setting_off_turns_the_store_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FAQBOT_CACHE", "off")
    assert EmbeddingStore.in_cache_folder(CountingEncoder()).path is None


def test_the_store_forgets_its_oldest_vectors_beyond_its_limit(tmp_path: Path) -> None:
    EmbeddingStore(CountingEncoder(), tmp_path, limit=3).embed(["a", "b", "c", "d"])
    encoder = CountingEncoder()
    EmbeddingStore(encoder, tmp_path, limit=3).embed(["d", "c", "b", "a"])
    assert encoder.calls == [["a"]]


def test_no_texts_give_the_encoders_empty_array(tmp_path: Path) -> None:
    assert EmbeddingStore(CountingEncoder(), tmp_path).embed([]).shape == (0, 4)


def test_the_store_gives_the_real_encoders_vectors(tmp_path: Path) -> None:
    texts = ["is there homework", "how much is a session"]
    stored = EmbeddingStore(shared_encoder(), tmp_path).embed(texts)
    assert np.array_equal(stored, shared_encoder().encode(texts))


def test_knowing_the_models_hash_imports_no_model_library() -> None:
    """Start-up is a feature: the start-up cache key must not load onnxruntime or numpy."""
    probe = (
        "import sys, faqbot.bot_cache, faqbot.embedding_store, faqbot.encoder as e; "
        "e.model_sha256(); print(' '.join(sys.modules))"
    )
    root = Path(__file__).resolve().parent.parent
    done = subprocess.run([sys.executable, "-c", probe], cwd=root, capture_output=True, text=True)
    loaded = {name.split(".")[0] for name in done.stdout.split()}
    assert "faqbot" in loaded
    assert loaded.isdisjoint({"onnxruntime", "tokenizers", "numpy"})


# Variables under which onnxruntime holds its telemetry back by itself (CI services, its own
# tests): a run here must look like a visitor's server, not like CI.
CI_MARKERS = (
    "CI",
    "GITHUB_ACTIONS",
    "GITLAB_CI",
    "JENKINS_URL",
    "TF_BUILD",
    "ORT_RUNNING_UNIT_TESTS",
)


def onnxruntime_files_after_a_reply(home: Path, **extra: str) -> list[str]:
    """What `faqbot ask` leaves under a fresh home and cache folder, besides faqbot's own."""
    env = {k: v for k, v in os.environ.items() if k not in (*CI_MARKERS, "ORT_DISABLE_TELEMETRY")}
    # faqbot's own cache stays where it is (outside `home`), so the bot loads built.
    env.update(HOME=str(home), XDG_CACHE_HOME=str(home / "cache"), **extra)
    env[CACHE_ENV] = str(cache_dir() or "off")
    done = subprocess.run(
        [sys.executable, "-m", "faqbot", "ask", "is there homework"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return sorted(str(p.relative_to(home)) for p in home.rglob("*") if p.is_file())


def test_a_reply_leaves_no_telemetry_id_or_event_queue_on_disk(tmp_path: Path) -> None:
    # onnxruntime's Linux builds write a device id and a queue of events for Microsoft's
    # collector when imported; faqbot turns that off before it imports onnxruntime.
    assert onnxruntime_files_after_a_reply(tmp_path / "home") == []


def test_an_operator_who_turns_onnxruntime_telemetry_on_gets_it(tmp_path: Path) -> None:
    # The explicit choice is kept; and this shows the check above can fail.
    files = onnxruntime_files_after_a_reply(tmp_path / "home", ORT_DISABLE_TELEMETRY="0")
    assert any("onnxruntime" in name for name in files), files
