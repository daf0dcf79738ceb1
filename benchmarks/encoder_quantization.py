"""Full precision or int8? Compare two exports of the encoder on this project's own texts.

    python benchmarks/encoder_quantization.py --fp32 /work/models/model-fp32.onnx \
        --int8 /work/models/model-int8.onnx [--tokenizer-dir /work/models]

Prints the cosine of each int8 embedding to its fp32 twin (every phrasing in
knowledge/faq plus every question of tests/eval/visitor_questions.yaml), whether a
plain nearest neighbour (question -> best phrasing's entry) picks the same entry
under both, and single-thread latency, all one text per session call as faqbot runs
them; then how far padding a batch of 32 moves each graph's vectors (the int8 graph
quantizes activations per tensor, so batch mates matter).  Decision rule: ship int8 if the
nearest-neighbour agreement is >= 98% and the mean cosine >= 0.98, else fp32.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
import yaml
from measure import ROOT, machine, median, percentile

from faqbot.encoder import Encoder

EVAL = ROOT / "tests" / "eval"
SENTENCE = "is it normal to feel nervous before the first session with a sex therapist here"
EIGHT = [
    "how much does it cost",
    "do you take insurance or do i pay out of pocket",
    "can my partner come with me to the first appointment",
    "is there any homework between sessions",
    "what if my husband refuses to come",
    "are sessions online or in person",
    "how long does therapy usually take",
    "do i have to take my clothes off",
]


def phrasings() -> tuple[list[str], list[str]]:
    """Every question and paraphrase of the shipped FAQ, and the entry each belongs to."""
    texts, ids = [], []
    for path in sorted((ROOT / "knowledge" / "faq").glob("*.yaml")):
        for entry in yaml.safe_load(path.read_text(encoding="utf-8"))["entries"]:
            for text in [entry["question"], *entry.get("paraphrases", [])]:
                texts.append(text)
                ids.append(entry["id"])
    return texts, ids


def questions(name: str, section: str | None = None) -> list[dict]:
    """The items of one evaluation file (one section, or every section)."""
    data = yaml.safe_load((EVAL / name).read_text(encoding="utf-8"))
    chosen = [data[section]] if section else data.values()
    return [item for items in chosen for item in items or () if isinstance(item, dict)]


def nearest(encoder: Encoder, queries: list[str], bank: np.ndarray, ids: list[str]) -> list[str]:
    """The entry of the most similar phrasing, for each query."""
    return [ids[i] for i in (encoder.encode(queries) @ bank.T).argmax(axis=1)]


def latency_ms(encoder: Encoder, texts: list[str], rounds: int) -> tuple[float, float]:
    """(p50, p99) of `encoder.encode(texts)` in milliseconds."""
    encoder.encode(texts)
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        encoder.encode(texts)
        times.append((time.perf_counter() - start) * 1e3)
    return median(times), percentile(times, 0.99)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fp32", type=Path, required=True)
    parser.add_argument("--int8", type=Path, required=True)
    parser.add_argument("--tokenizer-dir", type=Path, default=None)
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--max-batch", type=int, default=1, help="texts per session call")
    args = parser.parse_args()
    folder = args.tokenizer_dir or args.fp32.parent
    models = {
        name: Encoder(folder, path, args.max_batch)
        for name, path in [("fp32", args.fp32), ("int8", args.int8)]
    }
    texts, ids = phrasings()
    texts_all = texts + [item["q"] for item in questions("visitor_questions.yaml")]
    vectors = {name: model.encode(texts_all) for name, model in models.items()}
    cosines = (vectors["fp32"] * vectors["int8"]).sum(axis=1)
    print(f"machine: {machine()}")
    print(
        f"{len(texts_all)} texts: int8 vs fp32 cosine mean {cosines.mean():.4f} "
        f"min {cosines.min():.4f} p01 {np.quantile(cosines, 0.01):.4f}"
    )
    agree_total = count_total = 0
    for name in ("visitor_questions.yaml", "holdout.yaml"):
        cases = questions(name, "in_scope")
        got = {
            m: nearest(models[m], [c["q"] for c in cases], vectors[m][: len(texts)], ids)
            for m in models
        }
        agree = sum(a == b for a, b in zip(got["fp32"], got["int8"], strict=True))
        right = {m: sum(g == c["expect"] for g, c in zip(got[m], cases, strict=True)) for m in got}
        agree_total, count_total = agree_total + agree, count_total + len(cases)
        print(
            f"{name} in_scope ({len(cases)}): NN agreement {agree / len(cases):.1%}; "
            f"NN right fp32 {right['fp32'] / len(cases):.1%}, int8 {right['int8'] / len(cases):.1%}"
        )
    for name, model in models.items():
        one, eight = (
            latency_ms(model, [SENTENCE], args.rounds),
            latency_ms(model, EIGHT, args.rounds),
        )
        print(
            f"{name}: 1 sentence p50 {one[0]:.2f} ms p99 {one[1]:.2f} ms; "
            f"batch of 8 p50 {eight[0]:.2f} ms p99 {eight[1]:.2f} ms"
        )
    for name, path in [("fp32", args.fp32), ("int8", args.int8)]:
        padded = Encoder(folder, path, max_batch=32)
        moved = (padded.encode(texts_all) * vectors[name]).sum(axis=1)
        print(f"{name}: padded batches of 32 vs one text per call, cosine min {moved.min():.4f}")
    ship = agree_total / count_total >= 0.98 and cosines.mean() >= 0.98
    print(
        f"NN agreement overall {agree_total / count_total:.1%} -> ship {'int8' if ship else 'fp32'}"
    )


if __name__ == "__main__":
    main()
