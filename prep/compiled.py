"""The one way in for prep's compiled kernels: numba's njit, cached where any install can write,
or not compiled at all for a run too small to pay for it.

A kernel stays compiled only where a committed benchmark (tests/benchmarks/kernels_bench.py)
shows that polars, numpy or a library does the same work much slower; each says so in its
docstring. Compiling them all costs tens of seconds of CPU the first time (numba then caches the
machine code), while running them as the plain Python they are written in costs about a tenth
of a millisecond per byte of text: a run whose input is under INTERPRET_BELOW bytes (a first
try on a few files, a test) runs them interpreted (PREP_KERNELS=interpreted, which sets numba's
NUMBA_DISABLE_JIT before numba is imported), and gives the same output (a test compares the
two ways, byte for byte). The command decides (`choose_for_input`) before any kernel module is
imported; worker processes inherit the choice through the environment.

numba caches what it compiles beside the source, or else under the user's home: a
read-only install run by a user without a usable home (a non-root container) has neither, and
numba would refuse to compile at all ("cannot cache function ...: no locator available"). So
the cache directory is chosen here, before numba is imported: NUMBA_CACHE_DIR when the user
sets it, else prep's folder in the user's cache directory, else one in the system's temporary
directory; where none can be written, kernels are compiled for the process alone.
"""

from __future__ import annotations

import os
import tempfile
import warnings
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

MODE = "PREP_KERNELS"  # "interpreted" or "compiled" (the default)
INTERPRET_BELOW = 32 << 10


def choose_for_input(input_bytes: int) -> None:
    """Run the kernels interpreted when the input is too small to pay for compiling them; to be
    called before any kernel module is imported (it sets the environment they read)."""
    if MODE not in os.environ:
        os.environ[MODE] = "interpreted" if input_bytes < INTERPRET_BELOW else "compiled"


def interpreted() -> bool:
    """Whether the kernels run as plain Python (PREP_KERNELS=interpreted): where a kernel's inner
    loop has a numpy form, it takes that form then (the same values)."""
    return os.environ.get(MODE) == "interpreted"


def kernel(**options: Any) -> Callable:
    """`njit` with prep's options: cached when there is a cache directory. numba is imported at
    the first kernel, so that the command's choice of PREP_KERNELS is known by then; interpreted,
    a kernel is the plain function and numba is not imported at all (what numba's
    NUMBA_DISABLE_JIT gives, without the tenth of a second its import costs)."""
    if interpreted():
        os.environ["NUMBA_DISABLE_JIT"] = "1"
        # unsigned arithmetic wraps both ways; only the interpreter warns about it
        warnings.filterwarnings("ignore", "overflow encountered", RuntimeWarning)
        return lambda function: function
    from numba import njit

    return njit(cache=CACHE_DIR is not None, **options)
