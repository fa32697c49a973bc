"""prep: scraped articles in, a clean, deduplicated, traceable training corpus out."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("prep-corpus")  # the distribution's name; the package is `prep`
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0+unknown"
