"""Imported once by the fork server that local workers are forked from (see executors/local.py).

Everything here is what each worker would otherwise do for itself before its first task: import
prep's stages with polars, numba and datasketch (scipy comes along), and load numba's own
compiler registries, which the first compiled kernel of a process pulls in. No polars query
runs here: polars starts its thread pool at the first one, and a thread pool does not survive
a fork.
"""

import datasketch  # noqa: F401
import numpy as np

import prep.tasks  # noqa: F401
from prep.clean.lines import _has_marks, _marks

# the same argument types as in a run (read-only text bytes, int64 spans), so that the cached
# compiled version is the one loaded
_has_marks(np.frombuffer(b"warm up", dtype=np.uint8), np.array([[0, 7]], dtype=np.int64), _marks())
