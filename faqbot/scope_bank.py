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
    return tuple(_examples(examples, path, problems))


def _examples(examples: LineList, path: Path, problems: list[Problem]) -> list[str]:
    found: dict[str, None] = {}
    for index, text in enumerate(examples):
        line = examples.line_of(index)
        if not isinstance(text, str | int | float) or isinstance(text, bool) or not str(text):
            message = "each example must be a line of text (quote one YAML reads as yes/no)"
            problems.append(Problem(path, line, message))
        elif len(str(text)) > MAX_EXAMPLE_CHARS:
            message = f"an example is at most {MAX_EXAMPLE_CHARS} characters"
            problems.append(Problem(path, line, message))
        else:
            found.setdefault(" ".join(str(text).split()), None)
    return list(found)
