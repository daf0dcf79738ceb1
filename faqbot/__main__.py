"""Let `python -m faqbot` behave exactly like the `faqbot` command."""

from __future__ import annotations

import sys

from faqbot.cli.main import main

sys.exit(main())
