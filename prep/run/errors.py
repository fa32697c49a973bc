"""How a run ends when it cannot: bad usage (exit code 2) or a failure (exit code 1)."""


class UsageError(Exception):
    """Bad usage or config: nothing was written (exit code 2)."""


class RunFailed(Exception):
    """The run could not be done (exit code 1)."""
