"""Imported once by the fork server that local workers are forked from (see executors/local.py).

Everything here is what each worker would otherwise do for itself before its first task: import
prep's stages with polars, numba and datasketch (scipy comes along), and load numba's own
compiler registries, which the first compiled kernel of a process pulls in. No polars query
runs here: polars starts its thread pool at the first one, and a thread pool does not survive
a fork.

First of all the server ties its life to the run's driver, which started it: a run refused or
ended while the server still imports must not leave it behind (holding the run's stdout and
stderr open, so that whoever reads them to the end waits for it).
"""

import os

from prep.executors.workers import DRIVER_PID
from prep.processes.lifetime import die_with_parent

die_with_parent(int(os.environ.get(DRIVER_PID, os.getppid())))  # exits if the driver has ended already
SERVER_PID = os.getpid()  # what the workers forked from here check their parent against

import datasketch  # noqa: E402, F401
import numpy as np  # noqa: E402

import prep.run.tasks  # noqa: E402, F401
from prep.clean.lines import _has_marks, _marks  # noqa: E402

# the same argument types as in a run (read-only text bytes, int64 spans), so that the cached
# compiled version is the one loaded
_has_marks(np.frombuffer(b"warm up", dtype=np.uint8), np.array([[0, 7]], dtype=np.int64), _marks())
