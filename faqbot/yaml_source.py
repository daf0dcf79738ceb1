"""Read YAML while remembering where every value came from.

Maintainers fix problems by line number, so mappings and lists read here carry
the line of each key and item.  The C loader is used when PyYAML has it:
loading is on the start-up path of every command.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from faqbot.errors import KnowledgeError, Problem
from faqbot.knowledge_files import DEFAULT_MAX_FILE_BYTES, read_text_file

_BaseLoader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class LineMap(dict[str, Any]):
    """A mapping that knows its own line and the line of each of its keys."""

    line: int = 0

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.key_lines: dict[str, int] = {}

    def line_of(self, key: str) -> int:
        """The line where `key` is written, or the mapping's own line."""
        return self.key_lines.get(key, self.line)


class LineList(list[Any]):
    """A list that knows the line of each of its items."""

    line: int = 0

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.item_lines: list[int] = []

    def line_of(self, index: int) -> int:
        """The line of item `index`, or the list's own line."""
        return self.item_lines[index] if index < len(self.item_lines) else self.line


class _LineLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    """SafeLoader that records lines and refuses duplicate keys."""


def _construct_map(loader: Any, node: yaml.MappingNode) -> LineMap:
    result = LineMap()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str):
            key = str(key)
        if key in result:
            raise yaml.constructor.ConstructorError(
                None, None, f"the key '{key}' appears twice", key_node.start_mark
            )
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = key_node.start_mark.line + 1
    return result


def _construct_list(loader: Any, node: yaml.SequenceNode) -> LineList:
    result = LineList([loader.construct_object(child, deep=True) for child in node.value])
    result.line = node.start_mark.line + 1
    result.item_lines = [child.start_mark.line + 1 for child in node.value]
    return result


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_map)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_list)
# Dates stay strings: a maintainer writes 2027-01-31 and means text, not a datetime.
_LineLoader.add_constructor("tag:yaml.org,2002:timestamp", _LineLoader.construct_yaml_str)


def read_yaml(path: Path, max_bytes: int = DEFAULT_MAX_FILE_BYTES) -> Any:
    """Parse one file, or raise `KnowledgeError` saying which line is wrong and why."""
    try:
        text = read_text_file(path, max_bytes)
    except UnicodeDecodeError as error:
        raise KnowledgeError(
            [Problem(path, 1, f"not valid UTF-8 text ({error.reason})", unreadable=True)]
        ) from None
    except OSError as error:
        raise KnowledgeError(
            [Problem(path, 0, f"cannot be read: {error.strerror}", unreadable=True)]
        ) from None
    return parse_yaml(text, path)


def parse_yaml(text: str, path: Path) -> Any:
    """Parse `text` (read from `path`), or raise `KnowledgeError` with the line."""
    try:
        return yaml.load(text, Loader=_LineLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 0
        reason = error.problem or error.context or "invalid YAML"
        raise KnowledgeError(
            [Problem(path, line, f"invalid YAML: {reason}", unreadable=True)]
        ) from None
    except yaml.YAMLError as error:
        raise KnowledgeError(
            [Problem(path, 0, f"invalid YAML: {error}", unreadable=True)]
        ) from None
