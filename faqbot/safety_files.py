"""Read the safety layer's extra parts: check-ins, resources by category, other languages.

knowledge/safety.yaml says what a crisis reply holds (support_files.load_safety);
this module reads what was added beside it: the check-in line and its signals,
which resources (by `id`) each category shows first, and the reply, resources
and signals in another language (knowledge/safety.<language>.yaml).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from faqbot.canonical import load_canon_data
from faqbot.errors import Problem
from faqbot.language import Language
from faqbot.lexical_head import LexicalHead
from faqbot.model import KnowledgeBase, Safety, WordList
from faqbot.reply import Resource
from faqbot.safety import CrisisDetector
from faqbot.safety_bank import CONCERN, NONE, Exemplar
from faqbot.safety_check import SafetyCheck
from faqbot.safety_model import ModelSettings, SafetyModel, TextEncoder
from faqbot.sentences import Splitter
from faqbot.shapes import mapping_at, texts_at
from faqbot.yaml_source import LineMap

# Real words of the other languages visitors write (see make_real_words.py there).
REAL_WORDS = Path(__file__).parent / "languages" / "safety"
# At most this many FAQ phrasings join the bank as `none` examples (evenly spread): a
# 100,000-paraphrase knowledge base must not encode them all at every build.
MAX_FAQ_EXAMPLES = 2000


def resources_by_category(
    data: LineMap,
    ids: list[str],
    resources: tuple[Resource, ...],
    path: Path,
    problems: list[Problem],
) -> dict[str, tuple[Resource, ...]]:
    """category -> its resources, those `resources_by_category` lists first (by id)."""
    by_id = dict(zip(ids, resources, strict=True))
    raw = mapping_at(data, "resources_by_category", path, problems)
    ordered: dict[str, tuple[Resource, ...]] = {}
    for category in raw:
        chosen = []
        for name in texts_at(raw, category, path, problems):
            if name in by_id:
                chosen.append(by_id[name])
            else:
                line = raw.line_of(category)
                problems.append(Problem(path, line, f"no resource has the id '{name}'"))
        # The rest follow: whoever reads a crisis reply may need any of them.
        ordered[str(category)] = (*chosen, *(r for r in resources if r not in chosen))
    return ordered


def translations(folder: Path, read: Callable[[Path], Safety]) -> dict[str, Safety]:
    """language -> its `Safety`, from each knowledge/safety.<language>.yaml.

    `read(path)` is the loader's own reader of one safety file (a `Safety`, problems noted).
    """
    return {path.name.split(".")[1]: read(path) for path in sorted(folder.glob("safety.*.yaml"))}


def model_settings(data: LineMap, path: Path, problems: list[Problem]) -> dict[str, float]:
    """The learned detector's lines (`model:`): numbers, names from `ModelSettings`."""
    raw = mapping_at(data, "model", path, problems)
    found: dict[str, float] = {}
    for name, value in raw.items():
        if name not in ModelSettings._fields:
            problems.append(Problem(path, raw.line_of(name), f"unknown model setting `{name}`"))
        elif isinstance(value, bool) or not isinstance(value, int | float):
            problems.append(Problem(path, raw.line_of(name), f"`{name}` must be a number"))
        else:
            found[name] = value
    return found


def language_words(data: LineMap, path: Path, problems: list[Problem]) -> frozenset[str]:
    """The words that show a message is in this file's language."""
    return frozenset(word.lower() for word in texts_at(data, "language_words", path, problems))


def real_words(folder: Path = REAL_WORDS) -> WordList:
    """The words of every `real_words.<language>.txt` in `folder`: words of German, French,
    Portuguese and Spanish that the rules must never "correct" into an English crisis word."""
    paths = sorted(folder.glob("real_words.*.txt"))
    lines = (line for path in paths for line in path.read_text("utf-8").splitlines())
    return WordList(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def safety_check_for(
    knowledge: KnowledgeBase,
    vocabulary: Iterable[str],
    language: Language | None = None,
    encoder: Callable[[], TextEncoder] | None = None,
) -> SafetyCheck:
    """The safety check a bot runs: every language's signals in one rule set, and the
    learned detector when the knowledge base has an exemplar bank.

    `language`: the knowledge base's (words, fillers, stemmer); `encoder`: gives the
    sentence encoder (default: the process's shared one)."""
    safety = knowledge.safety
    every = [safety, *safety.translations.values()]
    rules = CrisisDetector(
        _merged([s.signals for s in every]),
        [text for s in every for text in s.exceptions],
        knowledge.common_words,
        vocabulary,
        checkin_signals=_merged([s.checkin_signals for s in every]),
        language=language,
        jokes=[text for s in every for text in s.jokes],
        not_joking=[text for s in every for text in s.not_joking],
        foreign_words=real_words(),
    )
    splitter = Splitter(load_canon_data().clause_starts)
    languages = {name: s.language_words for name, s in safety.translations.items()}
    model = trained_model(knowledge, rules.canonical, encoder or _shared_encoder)
    return SafetyCheck(rules, splitter, languages, model)


def trained_model(
    knowledge: KnowledgeBase, canonical: Callable[[str], str], encoder: Callable[[], TextEncoder]
) -> SafetyModel | None:
    """The detector trained on the bank, some FAQ phrasings and the out-of-scope examples
    (both `none`), or None: no bank.

    Vectors come through the embedding store, so a rebuild encodes only new texts."""
    bank = [Exemplar(*example) for example in knowledge.safety.examples]
    if not bank:
        return None
    phrasings = [text for entry in knowledge.entries for text in entry.phrasings]
    step = max(1, len(phrasings) // MAX_FAQ_EXAMPLES)
    # What the bot must not answer is no crisis either (out_of_scope.yaml keeps them out).
    harmless = [*phrasings[::step], *knowledge.out_of_scope]
    examples = bank + [Exemplar(text, NONE) for text in harmless]
    unique: dict[str, Exemplar] = {}
    for example in examples:  # the bank's own label wins over an FAQ phrasing's
        unique.setdefault(canonical(example.text), example)
    texts, exemplars, built = list(unique), list(unique.values()), encoder()
    settings = ModelSettings(**knowledge.safety.model_settings)
    lexical = _word_model(texts, exemplars, built, settings)
    return SafetyModel(exemplars, _embedded(texts, built), settings, encoder, lexical)


def _word_model(
    texts: list[str], examples: list[Exemplar], encoder: TextEncoder, settings: ModelSettings
) -> LexicalHead | None:
    """The word model on the examples' tokens: crisis against the rest (None: turned off,
    or an encoder without a tokenizer, as tests use)."""
    tokenize = getattr(encoder, "token_ids", None)
    if not settings.lexical_scale or tokenize is None:
        return None
    crisis = [example.category not in (NONE, CONCERN) for example in examples]
    return LexicalHead.trained(tokenize(texts), crisis, settings.lexical())


def _embedded(texts: list[str], encoder: TextEncoder) -> Any:
    """`texts`' vectors, from the embedding store when there is one."""
    try:
        from faqbot.embedding_store import EmbeddingStore
    except ImportError:
        return encoder.encode(texts)
    return EmbeddingStore.in_cache_folder(encoder).embed(texts)


def _shared_encoder() -> TextEncoder:
    from faqbot.encoder import shared_encoder

    return shared_encoder()


def _merged(tables: list[dict[str, Sequence[str]]]) -> dict[str, tuple[str, ...]]:
    merged: dict[str, tuple[str, ...]] = {}
    for table in tables:
        for category, phrases in table.items():
            merged[category] = (*merged.get(category, ()), *phrases)
    return merged
