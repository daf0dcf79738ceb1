"""faqbot: an offline FAQ chatbot for a sex-therapy practice.

The public surface is small on purpose: load a knowledge base into a `Bot`,
ask it questions, render the `Reply` it gives back.
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
