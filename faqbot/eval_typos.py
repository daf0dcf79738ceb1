"""Misspelled copies of evaluation cases, for `faqbot eval --typos N` and `faqbot tune`.

Each copy has one dropped, doubled or swapped letter; the same seed makes the same copies.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterable
from dataclasses import replace

from faqbot.eval_set import Case

TYPO_KINDS = ("drop", "double", "swap")
_TYPO_WORD = re.compile(r"[^\W\d_]{4,}")


def typo_variant(text: str, rng: random.Random) -> str:
    """`text` with one dropped, doubled or swapped letter in one word of 4+ letters."""
    words = list(_TYPO_WORD.finditer(text))
    if not words:
        return text
    match = rng.choice(words)
    word = match.group(0)
    # Never the first letter: people rarely mistype it, and it keeps the variant realistic.
    at = rng.randrange(1, len(word) - 1)
    kind = rng.choice(TYPO_KINDS)
    if kind == "drop":
        typo = word[:at] + word[at + 1 :]
    elif kind == "double":
        typo = word[: at + 1] + word[at:]
    else:
        typo = word[:at] + word[at + 1] + word[at] + word[at + 2 :]
    return text[: match.start()] + typo + text[match.end() :]


def typo_cases(cases: Iterable[Case], per_case: int, seed: int = 0) -> tuple[Case, ...]:
    """Up to `per_case` distinct misspelled copies of every case; the same seed, the same copies."""
    variants: list[Case] = []
    for case in cases:
        rng = random.Random(f"{seed}:{case.question}")
        seen = {case.question}
        for _ in range(per_case * 10):
            if len(seen) > per_case:
                break
            question = typo_variant(case.question, rng)
            if question not in seen:
                seen.add(question)
                variants.append(replace(case, question=question))
    return tuple(variants)
