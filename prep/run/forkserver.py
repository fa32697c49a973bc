"""Imported once by a local fork server, after prep.executors.preload: everything each worker
would otherwise import for itself before its first task (the stages with polars and numba),
so that a worker forked from the server starts warm. No
polars query runs here: polars starts its thread pool at the first one, and a thread pool does
not survive a fork.
"""

import prep.run.tasks  # noqa: F401
