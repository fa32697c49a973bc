"""Bytes to text: byte-order marks, UTF-8, declared charsets (HTTP header, then HTML meta), UTF-8
with a few broken bytes, then a detected legacy charset."""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes


class Unreadable(ValueError):
    """A record whose bytes cannot be turned into text; the message is its drop detail."""


_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE)
_NON_ASCII = re.compile(r"[^\x00-\x7f\ufffd]")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


def decode(data: bytes, html: bool, declared: str | None = None) -> str:
    """Decode one record's bytes, or raise Unreadable with the reason.

    `declared` is the charset its HTTP Content-Type names. Valid UTF-8 is taken as UTF-8 even
    against it: servers often declare a default charset for pages written in UTF-8, while a page
    in a legacy charset almost never forms valid multi-byte UTF-8.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _check_text(_strict(data, encoding))
    try:
        return _check_text(data.decode("utf-8"))
    except UnicodeDecodeError:
        pass
    if b"\x00" in data[:65536]:
        raise Unreadable("binary content (NUL bytes, not UTF-16 with a byte-order mark)")
    meta = _META_CHARSET.search(data[:8192]) if html else None
    for label in (declared, meta.group(1).decode("ascii") if meta else None):
        if label:
            try:
                return _check_text(data.decode(_web_encoding(label)))
            except (LookupError, UnicodeDecodeError):
                pass
    damaged = _damaged_utf8(data)
    if damaged is not None:
        return _check_text(damaged)
    return _check_text(_strict(data, _guess_legacy_encoding(data)))


def _web_encoding(label: str) -> str:
    """The codec for a declared charset; Latin-1 and ASCII labels mean windows-1252, as in every
    browser (the WHATWG Encoding standard), so that the curly quotes and dashes of pages declared
    ISO-8859-1 are not read as invisible control characters."""
    name = codecs.lookup(label.strip()).name
    return "cp1252" if name in ("iso8859-1", "ascii") else name


def _damaged_utf8(data: bytes) -> str | None:
    """UTF-8 with a few broken bytes (a corrupted or cut-off file), each decoded as U+FFFD.

    Text in a legacy charset (Latin-1, cp1252) almost never forms valid multi-byte UTF-8
    sequences, so a file with many more valid ones than broken bytes is UTF-8 that was
    damaged, and decoding it otherwise would garble every accented letter.
    """
    text = data.decode("utf-8", "replace")
    broken = text.count("\ufffd") - data.count("\ufffd".encode())
    valid = len(_NON_ASCII.findall(text))
    return text if valid > 4 * broken else None


def _guess_legacy_encoding(data: bytes) -> str:
    """The detected charset; among equally plausible ones windows-1252, the web's usual fallback."""
    matches = list(from_bytes(data[:1_000_000]))
    if not matches:
        raise Unreadable("binary content (no text encoding fits)")
    best = min(m.chaos for m in matches)
    plausible = [m.encoding for m in matches if m.chaos <= best + 0.01]
    return "cp1252" if "cp1252" in plausible else plausible[0]


def _strict(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError) as err:
        raise Unreadable(f"cannot decode as {encoding}: {err}") from None


def _check_text(text: str) -> str:
    """Reject decoded 'text' that is mostly control characters: a binary file named like text."""
    sample = text[:65536]
    if sample and len(_CONTROL.findall(sample)) > 0.1 * len(sample):
        raise Unreadable("binary content (control characters)")
    return text
