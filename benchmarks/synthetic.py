"""Synthetic knowledge bases of any size, built from the shipped one's own words.

    python benchmarks/synthetic.py 100000 /tmp/kb-100k   (writes a knowledge folder)

A practice network or a large clinic FAQ answers the same kinds of questions
about many subjects: "what happens in the first session" for vaginismus, for
couples after an affair, at the Leeds office.  So each synthetic entry pairs a
shipped entry (its paraphrases, recombined) with a subject from `SUBJECTS`,
placed in the paraphrase by one of `TEMPLATES`.  Questions are perturbed
paraphrases (a typo, a dropped word, a different template) whose entry is known.
Everything is deterministic for a given seed.
"""

from __future__ import annotations

import random
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml
from measure import ROOT

from faqbot.loader import load_knowledge
from faqbot.model import Entry, KnowledgeBase
from faqbot.normalize import Normalizer

SEED = 20261126
SIZES = (1_000, 10_000, 100_000)

# What a large practice's FAQ is about besides the basics: conditions, situations, people, places.
SUBJECTS = [
    "vaginismus",
    "vulvodynia",
    "dyspareunia",
    "anorgasmia",
    "menopause",
    "perimenopause",
    "pregnancy",
    "postpartum",
    "infertility",
    "endometriosis",
    "prostate",
    "diabetes",
    "cancer",
    "chemotherapy",
    "stroke",
    "arthritis",
    "fibromyalgia",
    "migraine",
    "insomnia",
    "depression",
    "anxiety",
    "trauma",
    "ptsd",
    "grief",
    "burnout",
    "adhd",
    "autism",
    "ocd",
    "bipolar",
    "addiction",
    "alcohol",
    "gambling",
    "pornography",
    "compulsivity",
    "fetish",
    "kink",
    "bdsm",
    "asexuality",
    "bisexuality",
    "transition",
    "dysphoria",
    "intersex",
    "polyamory",
    "nonmonogamy",
    "swinging",
    "infidelity",
    "affair",
    "betrayal",
    "jealousy",
    "divorce",
    "separation",
    "remarriage",
    "widowhood",
    "dating",
    "celibacy",
    "virginity",
    "abstinence",
    "religion",
    "purity",
    "shame",
    "guilt",
    "consent",
    "boundaries",
    "assault",
    "harassment",
    "coercion",
    "stalking",
    "newlyweds",
    "teenagers",
    "students",
    "seniors",
    "retirees",
    "veterans",
    "nurses",
    "doctors",
    "pilots",
    "soldiers",
    "farmers",
    "athletes",
    "musicians",
    "actors",
    "teachers",
    "engineers",
    "lawyers",
    "chefs",
    "drivers",
    "truckers",
    "immigrants",
    "refugees",
    "expats",
    "caregivers",
    "parents",
    "stepparents",
    "grandparents",
    "twins",
    "adoption",
    "surrogacy",
    "ivf",
    "miscarriage",
    "abortion",
    "contraception",
    "vasectomy",
    "hysterectomy",
    "mastectomy",
    "testosterone",
    "estrogen",
    "viagra",
    "cialis",
    "antidepressants",
    "ssri",
    "finasteride",
    "steroids",
    "hormones",
    "leeds",
    "york",
    "bristol",
    "cardiff",
    "glasgow",
    "edinburgh",
    "dublin",
    "belfast",
    "oxford",
    "cambridge",
    "brighton",
    "norwich",
    "exeter",
    "plymouth",
    "bath",
    "derby",
    "leicester",
    "nottingham",
    "sheffield",
    "manchester",
    "liverpool",
    "newcastle",
    "sunderland",
    "durham",
    "lancaster",
    "preston",
    "blackpool",
    "chester",
    "stoke",
    "coventry",
    "birmingham",
    "wolverhampton",
    "reading",
    "slough",
    "luton",
    "watford",
    "guildford",
    "canterbury",
    "dover",
    "portsmouth",
    "southampton",
    "bournemouth",
    "swindon",
    "gloucester",
    "worcester",
    "hereford",
    "shrewsbury",
    "aberdeen",
    "dundee",
    "inverness",
    "stirling",
    "perth",
    "swansea",
    "newport",
    "wrexham",
    "bangor",
    "galway",
    "cork",
    "limerick",
    "waterford",
    "kilkenny",
    "sligo",
    "wednesdays",
    "thursdays",
    "fridays",
    "saturdays",
    "sundays",
    "mornings",
    "evenings",
    "weekends",
    "holidays",
    "christmas",
    "easter",
    "summer",
    "winter",
    "spring",
    "autumn",
    "january",
    "february",
    "march",
    "april",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "zoom",
    "skype",
    "telephone",
    "whatsapp",
    "email",
    "wheelchair",
    "ramps",
    "lifts",
    "parking",
    "bicycles",
    "buses",
    "trains",
    "taxis",
    "interpreters",
    "signlanguage",
    "braille",
    "subtitles",
    "spanish",
    "polish",
    "urdu",
    "punjabi",
    "arabic",
    "french",
    "german",
    "italian",
    "portuguese",
    "romanian",
    "bengali",
    "tamil",
    "gujarati",
    "mandarin",
    "cantonese",
    "turkish",
    "greek",
    "hebrew",
    "hindi",
    "somali",
    "swahili",
    "tagalog",
    "vietnamese",
    "korean",
    "japanese",
    "thai",
    "russian",
    "ukrainian",
    "dutch",
    "swedish",
    "norwegian",
    "danish",
    "finnish",
    "czech",
    "hungarian",
    "bulgarian",
    "serbian",
    "croatian",
    "albanian",
    "nhs",
    "bupa",
    "axa",
    "aviva",
    "vitality",
    "cigna",
    "medicare",
    "medicaid",
    "tricare",
    "invoices",
    "receipts",
    "refunds",
    "vouchers",
    "bursaries",
    "sliding",
    "deposits",
    "cancellations",
    "reschedules",
    "waitlists",
    "referrals",
    "supervision",
    "training",
    "internships",
    "placements",
    "research",
    "interviews",
    "podcasts",
    "workshops",
    "retreats",
    "groups",
    "webinars",
    "books",
    "articles",
    "videos",
    "newsletters",
    "helplines",
]

# Where a subject goes in a paraphrase; {p} is the paraphrase, {s} the subject.
TEMPLATES = (
    "{p} for {s}",
    "{p} with {s}",
    "{s}: {p}",
    "{p} ({s})",
    "about {s}, {p}",
    "{p} if it is about {s}",
    "{s} question - {p}",
    "{p} regarding {s}",
)
TYPO_MIN_LENGTH = 5
CHAT_TOPIC = "About this chat"


@dataclass(frozen=True, slots=True)
class Question:
    """A visitor question with the entry it must get."""

    text: str
    expect: str


def synthetic_knowledge(size: int, seed: int = SEED) -> KnowledgeBase:
    """A knowledge base with exactly `size` phrasings (questions plus paraphrases)."""
    shipped = load_knowledge(ROOT / "knowledge")
    rng = random.Random(seed)
    # Small talk ("hi", "thanks") does not come in subjects; every other entry does.
    bases = [entry for entry in shipped.entries if entry.topic != CHAT_TOPIC]
    pairs = [(entry, subject) for subject in distinct_subjects(shipped) for entry in bases]
    rng.shuffle(pairs)
    entries: list[Entry] = []
    remaining = size
    for base, subject in pairs:
        if remaining <= 0:
            break
        count = min(remaining, rng.randint(10, 30))
        entries.append(_entry(base, subject, count, rng))
        remaining -= count
    if remaining > 0:
        raise ValueError(f"{size} phrasings need more subjects than the {len(SUBJECTS)} listed")
    return shipped._replace(entries=tuple(entries))


def distinct_subjects(shipped: KnowledgeBase) -> list[str]:
    """The subjects that stay one token of their own once normalized (no synonym merges them)."""
    normalizer = Normalizer(shipped.synonyms)
    normalizer.learn(p for entry in shipped.entries for p in entry.phrasings)
    taken = {t for entry in shipped.entries for p in entry.phrasings for t in normalizer.tokens(p)}
    taken |= {t for variant in shipped.synonyms for t in normalizer.tokens(variant)}
    result = []
    for subject in SUBJECTS:
        tokens = normalizer.tokens(subject)
        if len(tokens) == 1 and tokens[0] not in taken:
            taken.add(tokens[0])
            result.append(subject)
    return result


def _entry(base: Entry, subject: str, count: int, rng: random.Random) -> Entry:
    """`count` phrasings, no two alike: `faqbot check` refuses an entry that repeats one."""
    distinct: dict[str, None] = {}
    for _ in range(50 * count):
        if len(distinct) == count - 1:
            break
        phrasing = _recombined(rng.choice(base.paraphrases), rng)
        distinct.setdefault(rng.choice(TEMPLATES).format(p=phrasing, s=subject))
    if len(distinct) < count - 1:
        raise ValueError(f"'{base.id}' does not give {count - 1} distinct paraphrases")
    paraphrases = tuple(distinct)
    return base._replace(
        id=f"{base.id}-{subject}",
        question=f"{base.question.rstrip('?')} ({subject})?",
        paraphrases=paraphrases,
        answer=f"{base.answer} This also applies to {subject}.",
        related=(),
        paraphrase_lines=(),
        field_lines={},
    )


def _recombined(paraphrase: str, rng: random.Random) -> str:
    """The paraphrase, sometimes with a word dropped or two neighbours swapped."""
    words = paraphrase.split()
    if len(words) > 3 and rng.random() < 0.3:
        del words[rng.randrange(len(words))]
    if len(words) > 3 and rng.random() < 0.3:
        i = rng.randrange(len(words) - 1)
        words[i], words[i + 1] = words[i + 1], words[i]
    return " ".join(words)


def questions(knowledge: KnowledgeBase, count: int, seed: int = SEED) -> list[Question]:
    """`count` perturbed paraphrases of random entries, each with its entry id."""
    rng = random.Random(seed + 1)
    result = []
    for _ in range(count):
        entry = rng.choice(knowledge.entries)
        subject = entry.id.rsplit("-", 1)[1]
        text = _perturbed(rng.choice(entry.paraphrases), subject, rng)
        result.append(Question(text, entry.id))
    return result


def _perturbed(paraphrase: str, subject: str, rng: random.Random) -> str:
    """A dropped word and a typo, sometimes; the subject itself is kept intact."""
    words = paraphrase.split()
    others = [i for i, w in enumerate(words) if subject not in w]
    if len(words) > 4 and rng.random() < 0.4:
        del words[rng.choice(others)]
    long_words = [
        i for i, w in enumerate(words) if len(w) >= TYPO_MIN_LENGTH and w.isalpha() and w != subject
    ]
    if long_words and rng.random() < 0.5:
        i = rng.choice(long_words)
        words[i] = _typo(words[i], rng)
    text = " ".join(words)
    return text.capitalize() + rng.choice(("", "?", "??", " pls"))


def _typo(word: str, rng: random.Random) -> str:
    """One slip of the finger away from `word` (never the first letter)."""
    i = rng.randrange(1, len(word) - 1)
    if rng.random() < 0.5:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    return word[:i] + word[i + 1 :]


def write_knowledge(knowledge: KnowledgeBase, folder: Path) -> Path:
    """Write `knowledge` as a knowledge folder the loader reads (one topic file per 500)."""
    if folder.exists():
        shutil.rmtree(folder)
    shutil.copytree(ROOT / "knowledge", folder, ignore=shutil.ignore_patterns("faq"))
    faq = folder / "faq"
    faq.mkdir()
    chunk = 500
    for start in range(0, len(knowledge.entries), chunk):
        items = [_as_yaml(e) for e in knowledge.entries[start : start + chunk]]
        document = {"topic": f"Synthetic {start // chunk + 1}", "entries": items}
        text = yaml.dump(
            document,
            Dumper=getattr(yaml, "CSafeDumper", yaml.SafeDumper),
            sort_keys=False,
            allow_unicode=True,
            width=1000,
        )
        (faq / f"synthetic-{start // chunk + 1:04d}.yaml").write_text(text, encoding="utf-8")
    # The shipped practice.yaml suggests shipped entry ids, which the synthetic set renames.
    practice = folder / "practice.yaml"
    data = yaml.safe_load(practice.read_text(encoding="utf-8"))
    data.pop("suggestions", None)
    practice.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), "utf-8")
    return folder


def _as_yaml(entry: Entry) -> dict[str, object]:
    return {
        "id": entry.id,
        "question": entry.question,
        "paraphrases": list(entry.paraphrases),
        "answer": entry.answer,
    }


def main(argv: list[str]) -> int:
    if len(argv) != 2 or not argv[0].isdigit():
        print("usage: python benchmarks/synthetic.py SIZE FOLDER", file=sys.stderr)
        return 2
    knowledge = synthetic_knowledge(int(argv[0]))
    folder = write_knowledge(knowledge, Path(argv[1]))
    print(f"{len(knowledge.entries)} entries, {int(argv[0])} phrasings written to {folder}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
