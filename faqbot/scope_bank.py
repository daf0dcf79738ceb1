"""Read the out-of-scope examples: knowledge/out_of_scope.yaml (optional).

Messages the bot must not answer from its entries: other topics, requests it cannot
carry out, near-domain traps ("how much viagra should I take").  Retrieval's `scope`
signal weighs how much closer a message is in meaning to the entries' phrasings than
to these, so a maintainer who sees an out-of-scope question answered adds an example
here and the next load takes it into account.
"""

from __future__ import annotations

from pathlib import Path

from faqbot.errors import KnowledgeError, Problem
from faqbot.safety_bank import example_lines
from faqbot.yaml_source import LineList, LineMap, read_yaml

OUT_OF_SCOPE_FILE = "out_of_scope.yaml"
MAX_EXAMPLE_CHARS = 400


def read_out_of_scope(folder: Path, problems: list[Problem]) -> tuple[str, ...]:
    """The examples in `folder/out_of_scope.yaml`, in file order (none: no file)."""
    path = folder / OUT_OF_SCOPE_FILE
    if not path.is_file():
        return ()
    try:
        data = read_yaml(path)
    except KnowledgeError as error:
        problems.extend(error.problems)
        return ()
    examples = data.get("examples") if isinstance(data, LineMap) else None
    if not isinstance(examples, LineList):
        line = data.line_of("examples") if isinstance(data, LineMap) else 1
        problems.append(Problem(path, line, "expected `examples:`, a list of messages"))
        return ()
    unique = dict.fromkeys(example_lines(examples, path, problems, MAX_EXAMPLE_CHARS))
    return tuple(unique)
