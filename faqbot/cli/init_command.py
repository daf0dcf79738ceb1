"""Copy the bundled knowledge base into a folder of your own, to edit and use.

  faqbot init my-practice
  faqbot check --kb my-practice          (or: export FAQBOT_KB=my-practice)

The installed copy lives inside the Python package, where edits are lost on the
next upgrade and other commands may not see them: work on your own copy instead.
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

from faqbot.cli.environment import Environment, ExitStatus

NAME = "init"
HELP = "copy the bundled knowledge base into DIR, to edit it as your own"
SKIPPED = shutil.ignore_patterns("__pycache__", "*.pyc", ".*")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of `faqbot init`."""
    parser.add_argument("folder", metavar="DIR", help="a new (or empty) folder to create")


def run(args: argparse.Namespace, env: Environment) -> int:
    """Copy, then say how to point every command at the copy."""
    from faqbot.paths import ENV_VARIABLE, bundled_knowledge_dir

    target = Path(args.folder)
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        env.err(
            f"faqbot init: {target} already exists and is not an empty folder; "
            "choose a new one (nothing was copied)."
        )
        return ExitStatus.ERROR
    try:
        shutil.copytree(bundled_knowledge_dir(), target, ignore=SKIPPED, dirs_exist_ok=True)
    except OSError as error:
        env.err(f"faqbot init: cannot copy into {target}: {error.strerror or error}")
        return ExitStatus.ERROR
    topics = len(list((target / "faq").glob("*.yaml")))
    env.out(f"Copied the bundled knowledge base to {target} ({topics} topic files in faq/).")
    env.out(f"Edit its YAML files ({target / 'README.md'} says what each one holds), then:")
    env.out("")
    env.out(f"  faqbot check --kb {target}")
    env.out(f'  faqbot ask --kb {target} "how do I book a consultation?"')
    env.out(f"  faqbot serve --kb {target}")
    env.out("")
    env.out(
        f"Or set {ENV_VARIABLE} once and leave out --kb:  export {ENV_VARIABLE}={target.resolve()}"
    )
    return ExitStatus.OK
