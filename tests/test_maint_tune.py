"""`faqbot tune`: fitted on part of an evaluation set, measured on the rest, shown as a diff."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest

from faqbot.bot import Bot
from faqbot.cli.environment import Environment, ExitStatus
from faqbot.cli.main import main
from faqbot.decide import decide
from faqbot.eval_set import Case, load_eval_set
from faqbot.loader import load_knowledge
from faqbot.reply import Kind
from faqbot.retrieval import SIGNAL_NAMES
from faqbot.settings_file import updated_text
from faqbot.tuning import split
from faqbot.tuning_arrays import decisions, observe, top_candidates

EVAL = Path(__file__).parent / "eval" / "visitor_questions.yaml"

# A knowledge base from another domain: a bicycle repair shop.
PRACTICE = """\
name: Spoke & Chain
disclaimer: I am an automated assistant for the shop.
messages:
  fallback: Sorry, I do not know that one. Call the shop on 555 0100.
"""
SAFETY = """\
message: If you are in danger, call 911 now.
resources:
  - name: Emergency services
    contact: Call 911
signals:
  danger: [i am in danger]
"""
ENTRIES = {
    "opening-hours": (
        "When are you open?",
        [
            "what are your opening hours",
            "are you open on sundays",
            "what time do you close",
            "when can i drop by",
            "are you open late on fridays",
        ],
    ),
    "flat-tyre": (
        "Can you fix a flat tyre?",
        [
            "my tyre is flat",
            "do you repair punctures",
            "how much to fix a puncture",
            "i have a flat tire",
            "can you patch an inner tube",
        ],
    ),
    "brake-service": (
        "Do you service brakes?",
        [
            "my brakes squeak",
            "can you adjust my brakes",
            "brake pads replacement",
            "my bike does not stop well",
            "disc brake bleeding",
        ],
    ),
    "bike-fitting": (
        "Do you offer bike fitting?",
        [
            "can you set my saddle height",
            "professional bike fit",
            "my knees hurt when i ride",
            "adjust my riding position",
            "is my frame the right size",
        ],
    ),
    "rentals": (
        "Can I rent a bike?",
        [
            "do you rent bikes",
            "bike hire for a day",
            "how much is a rental",
            "can tourists borrow a bike",
            "rent an electric bike",
        ],
    ),
}
EVAL_SET = """\
in_scope:
  - {q: what hours are you open on saturday, expect: opening-hours}
  - {q: till what time are you open today, expect: opening-hours}
  - {q: open on a bank holiday?, expect: opening-hours}
  - {q: my front tyre keeps going flat, expect: flat-tyre}
  - {q: got a puncture on the way to work, expect: flat-tyre}
  - {q: need a new inner tube fitted, expect: flat-tyre}
  - {q: my brakes are squealing badly, expect: brake-service}
  - {q: the brake lever feels spongy, expect: brake-service}
  - {q: replace worn brake pads please, expect: brake-service}
  - {q: my saddle feels too low, expect: bike-fitting}
  - {q: back pain after long rides, can a fit help, expect: bike-fitting}
  - {q: which frame size should i ride, expect: bike-fitting}
  - {q: i want to hire a bike for the weekend, expect: rentals}
  - {q: do you have e-bikes to rent, expect: rentals}
  - {q: price of renting a bike for a week, expect: rentals}
out_of_scope:
  - what is the capital of france
  - write me a poem about the sea
  - how do i bake sourdough bread
  - best running shoes for marathons
  - what's the weather tomorrow
  - recommend a good movie
"""


def _write_kb(root: Path) -> Path:
    (root / "faq").mkdir(parents=True)
    (root / "practice.yaml").write_text(PRACTICE, encoding="utf-8")
    (root / "safety.yaml").write_text(SAFETY, encoding="utf-8")
    lines = ["topic: The shop", "entries:"]
    for entry_id, (question, paraphrases) in ENTRIES.items():
        lines += [f"  - id: {entry_id}", f"    question: {question}", "    paraphrases:"]
        lines += [f"      - {p}" for p in paraphrases]
        lines += [f"    answer: Yes, ask us about {entry_id.replace('-', ' ')}."]
    (root / "faq" / "shop.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return root


@pytest.fixture
def bike_shop(tmp_path: Path) -> tuple[Path, Path]:
    """(a bicycle shop's knowledge base without settings.yaml, its evaluation set)."""
    eval_set = tmp_path / "shop_eval.yaml"
    eval_set.write_text(EVAL_SET, encoding="utf-8")
    return _write_kb(tmp_path / "shop"), eval_set


def run_faqbot(*argv: str) -> tuple[int, str, str]:
    stdout, stderr = io.StringIO(), io.StringIO()
    env = Environment(stdin=io.StringIO(), stdout=stdout, stderr=stderr, environ={})
    return main(list(argv), env), stdout.getvalue(), stderr.getvalue()


def test_tune_on_another_domain_shows_held_out_figures_and_a_diff_but_writes_nothing(bike_shop):
    kb, eval_set = bike_shop
    status, out, err = run_faqbot("tune", str(eval_set), "--kb", str(kb), "--typos", "0")
    assert status == ExitStatus.OK, err
    assert "held-out part, tuned" in out and "held-out part, now" in out
    assert "+++ " in out and "weights:" in out  # the whole settings file, as a diff
    assert not (kb / "settings.yaml").exists()


def test_tune_write_saves_settings_that_load_and_are_the_fitted_ones(bike_shop):
    kb, eval_set = bike_shop
    argv = ("tune", str(eval_set), "--kb", str(kb), "--typos", "0", "--seed", "1")
    status, out, _ = run_faqbot(*argv, "--write")
    assert status == ExitStatus.OK and "written to" in out
    settings = load_knowledge(kb).settings
    assert sum(settings.weights.values()) == pytest.approx(1, abs=0.02)
    for name, weight in settings.weights.items():
        assert f"+    {name}: {weight:g}\n" in out  # what the diff showed is what was written
    assert list(settings.weights) == list(SIGNAL_NAMES)


def test_the_split_is_seeded_and_keeps_every_expected_entry_on_both_sides():
    cases = load_eval_set(EVAL).section("in_scope")
    fit, held = split(cases, seed=3)
    assert (fit, held) == split(cases, seed=3) and split(cases, seed=4) != (fit, held)
    assert len(fit) + len(held) == len(cases)
    counts = {c.expect: 0 for c in cases}
    for case in cases:
        counts[case.expect] += 1
    wanted = {e for e, n in counts.items() if n >= 4}
    assert wanted <= {c.expect for c in held} and wanted <= {c.expect for c in fit}


@pytest.mark.parametrize(
    "thresholds",
    [
        {},
        {"answer": 70, "clarify": 60, "clarify_margin": 5, "clear_lead": 3},
        {"max_options": 2},
        {"min_scope": 0.6},
        {"min_scope": 0.0},
    ],
)
def test_decisions_over_arrays_are_the_bot_s_own_decide(bot: Bot, thresholds):
    settings = bot.knowledge.settings._replace(**thresholds)
    cases = [c for c in load_eval_set(EVAL).cases if c.section in ("in_scope", "out_of_scope")]
    tops = top_candidates(observe(bot, cases), settings.weights, 3)
    answered, clarified, offered = decisions(tops, settings)
    for number, case in enumerate(cases):
        ranked = bot.explain(case.question, limit=10).candidates
        decision = decide(list(ranked), settings) if ranked else None
        kind = Kind.ANSWER if answered[number] else Kind.CLARIFY if clarified[number] else None
        assert (decision.kind if decision else Kind.FALLBACK) == (kind or Kind.FALLBACK)
        if kind is Kind.CLARIFY:
            shown = tops["entry"][number][: offered.shape[1]][offered[number]]
            ids = [bot.knowledge.entries[i].id for i in shown]
            assert ids == [c.entry.id for c in decision.chosen], case.question


def test_a_settings_file_without_the_tuned_keys_gets_them_where_they_belong(tmp_path, bot):
    path = tmp_path / "settings.yaml"
    path.write_text(
        "# mine\nretrieval:\n  candidates: 40  # fewer\nreport:\n  group_similarity: 60\n"
    )
    _, new = updated_text(path, bot.knowledge.settings)
    path.write_text(new)
    settings = load_knowledge_settings(path)
    assert settings.weights == bot.knowledge.settings.weights
    assert settings.answer == bot.knowledge.settings.answer and settings.candidates == 40
    assert new.startswith("# mine\n") and "# fewer" in new


def load_knowledge_settings(path: Path):
    from faqbot.support_files import load_settings
    from faqbot.yaml_source import read_yaml

    problems: list = []
    settings = load_settings(read_yaml(path), path, problems)
    assert problems == []
    return settings


@pytest.mark.parametrize("meaning", ["semantic", "entry_semantic"])
def test_top_candidates_rank_as_the_index_does(bot: Bot, meaning: str):
    weights = {**bot.knowledge.settings.weights, meaning: 0.2}  # messages are embedded
    bot = Bot(bot.knowledge._replace(settings=bot.knowledge.settings._replace(weights=weights)))
    cases = [Case(q, "in_scope") for q in ("is there homework", "how much", "hello there")]
    tops = top_candidates(observe(bot, cases), weights, 3)
    for number, case in enumerate(cases):
        ranked = bot.explain(case.question, limit=3).candidates
        assert [bot.knowledge.entries[i].id for i in tops["entry"][number] if i >= 0] == [
            c.entry.id for c in ranked
        ]
        assert np.allclose(tops["score"][number][: len(ranked)], [c.score for c in ranked])


def test_an_answer_the_set_forbids_costs_the_fit_more_than_a_wrong_one(bot: Bot):
    from faqbot.tuning_figures import figures

    settings = bot.knowledge.settings
    question = "is there homework"  # answered with `homework`
    plain = observe(bot, [Case(question, "in_scope", "how-long")])
    forbids = observe(bot, [Case(question, "in_scope", "how-long", ("homework",))])
    wrong = figures(plain, top_candidates(plain, settings.weights, 3), settings)
    harmful = figures(forbids, top_candidates(forbids, settings.weights, 3), settings)
    assert (wrong.right, wrong.forbidden, harmful.forbidden) == (0.0, 0.0, 1.0)
    assert harmful.merit < wrong.merit - 1
