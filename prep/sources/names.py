"""File names as provenance text: `source_path` is stored in Parquet, JSON and terminals, which
take only valid, printable Unicode, while a POSIX file name is any bytes.

The escaping is lossless, so the file can always be found again from its source_path: a byte
that is not UTF-8 (Python holds it as a lone surrogate) is `\\xNN`, a character that is not
printable (controls such as escape and BEL, line separators, zero-width and other format
characters) is `\\xNN` below U+0080 and `\\uNNNN` (or `\\UNNNNNNNN`) above, and a backslash is
`\\\\`; every other character stands for itself.
"""

from __future__ import annotations

_UNDECODABLE = range(0xDC80, 0xDD00)  # how os.fsdecode holds a byte that is not UTF-8


def source_name(name: str) -> str:
    """A file name (or path) as os gives it, as printable text (see the module's docstring)."""
    if name.isprintable() and "\\" not in name:
        return name
    return "".join(_escape(char) for char in name)


def _escape(char: str) -> str:
    code = ord(char)
    if char == "\\":
        return "\\\\"
    if code in _UNDECODABLE:
        return f"\\x{code - 0xDC00:02x}"
    if char.isprintable():
        return char
    if code < 0x80:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"
