"""Coverage-guided fuzzing (atheris/libFuzzer) of normalization and `Bot.reply`.

    python tests/fuzz/fuzz_reply.py -max_total_time=60            # one minute
    python tests/fuzz/fuzz_reply.py -max_total_time=600 corpus/   # keep a corpus

Any exception, or a reply that breaks the contract a front end relies on, is a
crash: libFuzzer writes the input to `crash-<sha1>` (see `-artifact_prefix`) and
exits non-zero.  Replay one with `python tests/fuzz/fuzz_reply.py crash-<sha1>`.
The first byte picks how the rest becomes text, so both lenient UTF-8 decoding
and raw code points (lone surrogates included, as JSON can send) are covered.
"""

from __future__ import annotations

import json
import sys
import time

import atheris

with atheris.instrument_imports(include=["faqbot"]):
    from faqbot.bot import Bot, Context
    from faqbot.normalize import clean
    from faqbot.reply import Kind, Reply

# From the start-up cache when there is one: the fuzzer explores replies, not the build, and an
# instrumented build takes minutes.
BOT = Bot.load(cache=True)
LIMIT = BOT.knowledge.settings.max_question_chars
PREVIOUS_IDS = (None, *(entry.id for entry in BOT.knowledge.entries))
MAX_SECONDS_PER_REPLY = 0.5


def text_from(data: bytes) -> tuple[str, Context]:
    """The visitor's text and a context, both chosen by the fuzzer."""
    provider = atheris.FuzzedDataProvider(data)
    mode = provider.ConsumeIntInRange(0, 2)
    previous = PREVIOUS_IDS[provider.ConsumeIntInRange(0, len(PREVIOUS_IDS) - 1)]
    if mode == 0:
        text = provider.ConsumeBytes(4 * LIMIT).decode("utf-8", errors="replace")
    elif mode == 1:
        text = provider.ConsumeUnicode(2 * LIMIT)
    else:
        text = provider.ConsumeUnicodeNoSurrogates(2 * LIMIT)
    return text, Context(previous)


def check_reply(reply: Reply) -> None:
    """The contract every front end renders; a violation is reported as a crash."""
    ids = {entry.id for entry in BOT.knowledge.entries}
    if not isinstance(reply.kind, Kind) or not 0 <= reply.score <= 100:
        raise AssertionError(f"bad kind or score: {reply.kind!r} {reply.score!r}")
    if any(choice.id not in ids for choice in (*reply.options, *reply.related)):
        raise AssertionError("a choice points to an unknown entry")
    if reply.kind is Kind.ANSWER and reply.id not in ids:
        raise AssertionError(f"answer with unknown id {reply.id!r}")
    encoded = reply.to_json()
    encoded.encode("utf-8")
    if json.loads(encoded) != reply.to_dict():
        raise AssertionError("to_json does not round-trip")


def test_one_input(data: bytes) -> None:
    text, context = text_from(data)
    cleaned = clean(text)
    if any(ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F for c in cleaned):
        raise AssertionError("clean() left a control character")
    BOT.normalizer.words(text)
    BOT.normalizer.tokens(text[:LIMIT])
    check_reply(BOT.reply(text, context))
    elapsed = min(cpu_seconds_for_reply(text, context) for _ in range(2))
    if elapsed > MAX_SECONDS_PER_REPLY:
        raise AssertionError(f"reply took {elapsed:.2f}s for {len(text)} characters")


def cpu_seconds_for_reply(text: str, context: Context) -> float:
    # CPU time, not wall time: on a busy CI machine another process can stall us for 0.5 s.
    start = time.process_time()
    BOT.reply(text, context)
    return time.process_time() - start


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
