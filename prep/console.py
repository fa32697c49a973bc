"""Where prep talks to people: stderr, in rich form on a terminal and as plain lines elsewhere.

stdout stays free for what a command produces (`inspect` tables, `--json`, `--summary-json -`),
so it can be piped. Logs, progress and the run summary go to stderr. A CI log gets plain
`prep: ...` lines, with no colour, cursor movement or line wrapping to garble it.
"""

from __future__ import annotations

import logging
from enum import IntEnum

from rich.console import Console
from rich.logging import RichHandler

LOGGER = "prep"


class Verbosity(IntEnum):
    QUIET = logging.WARNING    # failures only
    NORMAL = logging.INFO
    VERBOSE = logging.DEBUG


def stderr_console() -> Console:
    return Console(stderr=True, highlight=False, emoji=False)


def interactive(console: Console) -> bool:
    """A terminal a person watches: worth a live display and colours."""
    return console.is_terminal and not console.is_dumb_terminal


class _PlainFormatter(logging.Formatter):
    """'prep: message', with the level named when it is not plain information."""

    def format(self, record: logging.LogRecord) -> str:
        level = "" if record.levelno == logging.INFO else f"{record.levelname.lower()}: "
        return f"prep: {level}{record.getMessage()}"


def setup_logging(console: Console, verbosity: Verbosity) -> logging.Logger:
    """The `prep` logger, writing to the console's stream at the given verbosity."""
    logger = logging.getLogger(LOGGER)
    logger.handlers.clear()
    logger.propagate = False
    if interactive(console):
        handler: logging.Handler = RichHandler(console=console, show_path=False, markup=False,
                                               log_time_format="%H:%M:%S")
    else:
        handler = logging.StreamHandler(console.file)
        handler.setFormatter(_PlainFormatter())
    logger.addHandler(handler)
    logger.setLevel(verbosity)
    return logger
