"""The one way in for prep's compiled kernels: numba's njit, cached where any install can write.

A kernel stays compiled only where a committed benchmark (tests/benchmarks/kernels_bench.py)
shows that polars, numpy or a library does the same work much slower; each says so in its
docstring. numba caches what it compiles beside the source, or else under the user's home: a
read-only install run by a user without a usable home (a non-root container) has neither, and
numba would refuse to compile at all ("cannot cache function ...: no locator available"). So
the cache directory is chosen here, before numba is imported: NUMBA_CACHE_DIR when the user
sets it, else prep's folder in the user's cache directory, else one in the system's temporary
directory; where none can be written, kernels are compiled for the process alone.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any


def _writable(folder: Path) -> bool:
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe = tempfile.NamedTemporaryFile(dir=folder)  # noqa: SIM115 - closed (and removed) at once
    except OSError:
        return False
    probe.close()
    return True


def _cache_dir() -> str | None:
    if os.environ.get("NUMBA_CACHE_DIR"):
        return os.environ["NUMBA_CACHE_DIR"]
    candidates = []
    if os.environ.get("XDG_CACHE_HOME"):
        candidates.append(Path(os.environ["XDG_CACHE_HOME"]) / "prep" / "numba")
    home = Path(os.path.expanduser("~"))
    if home != Path("~"):
        candidates.append(home / ".cache" / "prep" / "numba")
    candidates.append(Path(tempfile.gettempdir()) / f"prep-numba-{os.getuid()}")
    for folder in candidates:
        if _writable(folder):
            return str(folder)
    return None


CACHE_DIR = _cache_dir()
if CACHE_DIR is not None:
    os.environ["NUMBA_CACHE_DIR"] = CACHE_DIR

from numba import njit  # noqa: E402 - after NUMBA_CACHE_DIR is set


def kernel(**options: Any) -> Callable:
    """`njit` with prep's options: cached when there is a cache directory."""
    return njit(cache=CACHE_DIR is not None, **options)
