"""Finding known phrases (sequences of word stems) in a stemmed message, from a compact table.

The safety rules expand to tens of thousands of phrases (the Spanish groups alone to
about 70,000), and the built detector is read from the start-up cache on every
`faqbot ask`.  Kept as one tuple per phrase, plus a label tuple, the table took about
30 ms to unpickle; kept as one string with offsets and one array of phrase numbers per
bucket, it takes about 1 ms, and a phrase is rebuilt only when a message could hold it.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Iterator, Sequence

Phrase = tuple[str, ...]

# A phrase stem this long also matches words that start with it.
PREFIX_MIN_LENGTH = 4
# Between the stems of one phrase in the table: no word holds it (words are letters,
# digits and a few joiners).
_STEM_SEPARATOR = "\x1f"


class TextTable(Sequence[str]):
    """A list of strings kept as one string and their offsets: two objects to pickle.

    Read-only, and equal to any sequence of the same strings."""

    def __init__(self, texts: Iterable[str]) -> None:
        items = list(texts)
        self._text = "".join(items)
        self._ends = array("I")
        end = 0
        for item in items:
            end += len(item)
            self._ends.append(end)

    def __len__(self) -> int:
        return len(self._ends)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, TextTable):
            return self._text == other._text and self._ends == other._ends
        return isinstance(other, Sequence) and list(self) == list(other)

    __hash__ = None  # type: ignore[assignment]  (equal by value, like a list)

    def __repr__(self) -> str:
        return f"TextTable({list(self)!r})"

    def __iter__(self) -> Iterator[str]:
        start = 0
        for end in self._ends:
            yield self._text[start:end]
            start = end

    def __getitem__(self, number: int) -> str:  # type: ignore[override]
        if isinstance(number, slice):
            return [self[i] for i in range(*number.indices(len(self)))]  # type: ignore[return-value]
        if number < 0:
            number += len(self._ends)
        start = self._ends[number - 1] if number > 0 else 0
        return self._text[start : self._ends[number]]


def _key(token: str) -> str:
    return token[:PREFIX_MIN_LENGTH]


def _same(text_token: str, phrase_token: str) -> bool:
    if text_token == phrase_token:
        return True
    return len(phrase_token) >= PREFIX_MIN_LENGTH and text_token.startswith(phrase_token)


class PhraseMatcher:
    """Finds phrases (as stem tuples) in a stemmed message; a match names the phrase's number.

    Phrases are filed under the keys of their first two words, so a message word
    is only compared with the few phrases that can start there ("my" alone starts
    hundreds once groups are expanded).  A phrase's stem also matches a longer form
    of itself when it has PREFIX_MIN_LENGTH letters ("unal" in "unaliving").
    """

    def __init__(self, phrases: Iterable[Phrase]) -> None:
        one: dict[str, list[int]] = {}
        two: dict[str, list[int]] = {}
        texts: list[str] = []
        for number, phrase in enumerate(phrases):
            texts.append(_STEM_SEPARATOR.join(phrase))
            if len(phrase) == 1:
                one.setdefault(_key(phrase[0]), []).append(number)
            else:
                key = _key(phrase[0]) + _STEM_SEPARATOR + _key(phrase[1])
                two.setdefault(key, []).append(number)
        self._phrases = TextTable(texts)
        self._one = _Buckets(one)
        self._two = _Buckets(two)

    def __len__(self) -> int:
        return len(self._phrases)

    def phrase(self, number: int) -> Phrase:
        """The stems of phrase `number` (in the order the phrases were given)."""
        return tuple(self._phrases[number].split(_STEM_SEPARATOR))

    def matches(self, stems: list[str]) -> Iterator[tuple[int, int, int]]:
        """(start, end, phrase number) of every phrase found, left to right."""
        keys = [_key(token) for token in stems]
        for start, key in enumerate(keys):
            candidates = self._one.get(key)
            if start + 1 < len(keys):
                candidates = candidates + self._two.get(key + _STEM_SEPARATOR + keys[start + 1])
            for number in candidates:
                phrase = self._phrases[number].split(_STEM_SEPARATOR)
                end = start + len(phrase)
                if end <= len(stems) and all(map(_same, stems[start:end], phrase)):
                    yield start, end, number


class _Buckets:
    """Phrase numbers filed under keys, as one flat array and the end of each key's run.

    A dict of 6,000 small arrays takes about 2 ms to unpickle (each array is rebuilt by a
    call); a dict of ints and two arrays, a tenth of that."""

    def __init__(self, buckets: dict[str, list[int]]) -> None:
        self._index: dict[str, int] = {}
        self._numbers = array("I")
        self._ends = array("I")
        for key, numbers in buckets.items():
            self._index[key] = len(self._ends)
            self._numbers.extend(numbers)
            self._ends.append(len(self._numbers))

    def get(self, key: str) -> array:
        """The phrase numbers filed under `key`, in order (empty: none)."""
        position = self._index.get(key)
        if position is None:
            return array("I")
        start = self._ends[position - 1] if position else 0
        return self._numbers[start : self._ends[position]]
