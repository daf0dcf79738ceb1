"""Typed access to values read from YAML: a wrong shape becomes a `Problem`, never a crash.

Maintainers edit these files by hand, so a list where a mapping belongs (or a
number where text belongs) must produce a sentence with the file and line.
"""

from __future__ import annotations

from pathlib import Path

from faqbot.errors import Problem
from faqbot.yaml_source import LineList, LineMap

SCALARS = (str, int, float)


def mapping_at(data: LineMap, key: str, path: Path, problems: list[Problem]) -> LineMap:
    """`data[key]` when it is a mapping; an empty one (and a problem) when it is not."""
    value = data.get(key)
    if value is None:
        return LineMap()
    if not isinstance(value, LineMap):
        problems.append(
            Problem(path, data.line_of(key), f"`{key}` must be a mapping of `name: value` lines")
        )
        return LineMap()
    return value


def texts_at(data: LineMap, key: str, path: Path, problems: list[Problem]) -> tuple[str, ...]:
    """`data[key]` as a tuple of strings: it must be a list of words or phrases."""
    value = data.get(key)
    if value is None:
        return ()
    if isinstance(value, LineList) and all(
        isinstance(item, SCALARS) and not isinstance(item, bool) for item in value
    ):
        return tuple(str(item) for item in value)
    problems.append(Problem(path, data.line_of(key), f"`{key}` must be a list of words or phrases"))
    return ()


def records_at(data: LineMap, key: str, path: Path, problems: list[Problem]) -> list[LineMap]:
    """`data[key]` as a list of mappings; anything else is reported."""
    value = data.get(key)
    if value is None:
        return []
    if not isinstance(value, LineList):
        problems.append(Problem(path, data.line_of(key), f"`{key}` must be a list"))
        return []
    records = []
    for index, item in enumerate(value):
        if isinstance(item, LineMap):
            records.append(item)
        else:
            problems.append(
                Problem(
                    path,
                    value.line_of(index),
                    f"each item of `{key}` must be a mapping of `name: value` lines",
                )
            )
    return records
