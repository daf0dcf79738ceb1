"""Write fitted weights and thresholds into settings.yaml, keeping its comments and order.

`faqbot tune` shows the change as a unified diff first; only `--write` saves it.
A value is replaced on its own line; a key the file lacks is added at the top
of its section, and a section it lacks at the end of the file.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path

from faqbot.model import Settings
from faqbot.yaml_source import LineMap, parse_yaml

_VALUE = re.compile(r"^(?P<key>\s*[\w-]+:[ \t]*)(?P<value>[^#\n]*?)(?P<rest>[ \t]*(#.*)?)$")


def tuned_values(settings: Settings) -> dict[tuple[str, ...], str]:
    """Every setting `faqbot tune` fits, by its keys in settings.yaml, as written there."""
    values = {("retrieval", "weights", name): w for name, w in settings.weights.items()}
    for name in ("answer", "clarify_margin", "clarify", "clear_lead"):
        values["decision", name] = getattr(settings, name)
    return {keys: f"{round(float(value), 3):g}" for keys, value in values.items()}


def updated_text(path: Path, settings: Settings) -> tuple[str, str]:
    """(the file as it is, the file with `settings`' weights and thresholds)."""
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    text = old
    # Last first: a key the file lacks goes first in its section, so they end up in order.
    for keys, value in reversed(tuned_values(settings).items()):
        text = _with_value(text, path, keys, value)
    return old, text


def diff(path: Path, old: str, new: str) -> str:
    """A unified diff of the two texts of `path` (empty when they are the same)."""
    return "".join(
        difflib.unified_diff(
            old.splitlines(keepends=True),
            new.splitlines(keepends=True),
            fromfile=f"{path} (now)",
            tofile=f"{path} (tuned)",
        )
    )


def _with_value(text: str, path: Path, keys: tuple[str, ...], value: str) -> str:
    """`text` with `keys` set to `value`: replaced in place, or added where it belongs."""
    data = parse_yaml(text, path) if text.strip() else None
    node, depth = data if isinstance(data, LineMap) else LineMap(), 0
    while depth < len(keys) - 1 and isinstance(node.get(keys[depth]), LineMap):
        node, depth = node[keys[depth]], depth + 1
    lines = text.splitlines(keepends=True)
    if depth == len(keys) - 1 and keys[-1] in node.key_lines:
        at = node.key_lines[keys[-1]] - 1
        match = _VALUE.match(lines[at].rstrip("\n"))
        if match:
            lines[at] = f"{match['key']}{value}{match['rest']}\n"
            return "".join(lines)
    missing = keys[depth:]
    if node.key_lines:  # before the first key of the deepest section there is
        first = min(node.key_lines.values()) - 1
        indent = re.match(r"[ \t]*", lines[first])[0]
    else:
        first, indent = len(lines), "  " * depth
        if lines and not lines[-1].endswith("\n"):
            lines[-1] += "\n"
    added = [f"{indent}{'  ' * n}{key}:\n" for n, key in enumerate(missing[:-1])]
    added.append(f"{indent}{'  ' * (len(missing) - 1)}{missing[-1]}: {value}\n")
    lines[first:first] = added
    return "".join(lines)
