"""faqbot: an offline FAQ chatbot for a sex-therapy practice.

The public surface is small on purpose: load a knowledge base into a `Bot`,
ask it questions, render the `Reply` it gives back.
"""

from __future__ import annotations

import os

# One thread per call: numpy's BLAS would otherwise start a thread per core for every
# dot product of the safety detector, and on a busy machine (a server's other threads,
# other processes) waiting for them costs 20 ms where the work takes 0.2 ms.  Set before
# numpy is first imported; a value the user set is kept.
for _name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")

__version__ = "0.1.0"

__all__ = ["__version__"]
