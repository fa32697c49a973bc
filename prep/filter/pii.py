"""Personal data replaced by placeholders: e-mail and IP addresses, phone and payment-card numbers.

    pii(docs, section: PiiConfig) -> docs

Reads `text` and `drop_reason` (documents already dropped are left as they are); replaces, in the
`text` of the others, each kind switched on in `section` by its placeholder, and adds
`pii_replacements`, a struct of counts {email, ip, phone, card} (null for documents not
processed). `totals(docs)` sums them for the manifest. Off by default.

As FineWeb did it with datatrove's PIIFormatter: e-mail addresses (datatrove's pattern) and IP
addresses that are public (`ipaddress`'s is_global: private, loopback, link-local and documentation
addresses are left alone) are replaced by fixed, harmless addresses, so the text keeps its shape.
datatrove cycles through several replacements and only knows IPv4; prep uses one placeholder per
kind (set in the config) and also replaces IPv6 addresses. prep also replaces:
- phone numbers: '+' and a country code followed by 6 to 14 more digits in groups, or the North
  American shapes (555) 123-4567 and 555-123-4567 / 555.123.4567 (a bare run of digits, a date
  or a number with spaces is not taken for a phone number);
- payment-card numbers: 13 to 19 digits, starting with 2-6 (the card networks' ranges), written
  whole or in groups separated by single spaces or hyphens, that pass the Luhn check.
Documents without a candidate (most) are passed over by one vectorised search per kind; the
candidates' checks (Luhn, is_global) run in Python on the few documents that have one.
"""

from __future__ import annotations

import ipaddress
import re
from typing import TYPE_CHECKING

import polars as pl

if TYPE_CHECKING:
    from prep.config import PiiConfig

KINDS = ("email", "card", "ip", "phone")  # the order they are replaced in

# datatrove's e-mail pattern (datatrove/pipeline/formatters/pii.py)
EMAIL = (r"\b[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:(?:[A-Za-z0-9](?:["
         r"A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?|\[(?:(?:25[0-5]|2[0-4][0-9]|["
         r"01]?[0-9][0-9]?)\.){3}(?:25[0-5]|2[0-4][0-9]|[01]?[0-9][0-9]?|[A-Za-z0-9-]*[A-Za-z0-9]:)])")
_OCTET = r"(?:25[0-5]|2[0-4][0-9]|[01]?[0-9][0-9]?)"
IPV4 = rf"(?<![\d.]){_OCTET}(?:\.{_OCTET}){{3}}(?![\d.]|\.\d)"
IPV6 = r"(?<![\w:.])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}(?![\w:])"
CARD = r"(?<![\d-])[2-6]\d{3}(?:[ -]?\d{2,4}){2,4}\d{0,3}(?![\d-])"
PHONE = (r"(?<![\w+])(?:\+\d{1,3}[ .-]?(?:\(\d{1,4}\)[ .-]?)?\d{1,4}(?:[ .-]?\d{2,4}){1,4}"
         r"|\(\d{3}\)[ .-]?\d{3}[ .-]\d{4}|\d{3}[.-]\d{3}[.-]\d{4})(?![\w])")
# what finds the documents that may hold one (Rust regex: no look-around)
_CANDIDATES = {"email": r"@", "card": r"\d{4}[ -]?\d{2,4}[ -]?\d{2,4}",
               "ip": r"\d\.\d+\.\d+\.\d|[0-9A-Fa-f]:[0-9A-Fa-f]*:",
               "phone": r"\+\d|\d{3}\)[ .-]?\d{3}|\d{3}[.-]\d{3}[.-]\d{4}"}


def luhn(digits: str) -> bool:
    """The Luhn check of a string of digits."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = ord(ch) - 48
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def _card(match: str) -> bool:
    digits = re.sub(r"[ -]", "", match)
    separators = set(re.findall(r"[ -]", match))
    return 13 <= len(digits) <= 19 and len(separators) <= 1 and luhn(digits)


def _public_ip(match: str) -> bool:
    try:
        return ipaddress.ip_address(match).is_global
    except ValueError:
        return False


def _phone(match: str) -> bool:
    digits = sum(ch.isdigit() for ch in match)
    return 10 <= digits <= 15 if match.startswith("+") else digits == 10


_PATTERNS = {"email": (re.compile(EMAIL), None), "card": (re.compile(CARD), _card),
             "ip": (re.compile(f"{IPV4}|{IPV6}"), _public_ip), "phone": (re.compile(PHONE), _phone)}


def redact(text: str, placeholders: dict[str, str]) -> tuple[str, dict[str, int]]:
    """The text with each kind in `placeholders` replaced, and the count per kind (the reference)."""
    counts = dict.fromkeys(placeholders, 0)
    for kind in KINDS:
        if kind not in placeholders:
            continue
        pattern, valid = _PATTERNS[kind]

        def replace(match: re.Match, kind: str = kind, valid=valid) -> str:
            if valid is not None and not valid(match.group(0)):
                return match.group(0)
            counts[kind] += 1
            return placeholders[kind]

        text = pattern.sub(replace, text)
    return text, counts


def pii(docs: pl.DataFrame, section: PiiConfig) -> pl.DataFrame:
    """Replace the kinds switched on in the documents still kept (module doc)."""
    if not section.enabled:
        return docs
    placeholders = {kind: getattr(section, f"{kind}_placeholder") for kind in KINDS if getattr(section, kind)}
    kept = docs["drop_reason"].is_null() if "drop_reason" in docs.columns else pl.Series([True] * docs.height)
    texts = docs["text"].fill_null("")
    maybe = pl.Series([False] * docs.height)
    for kind in placeholders:
        maybe = maybe | texts.str.contains(_CANDIDATES[kind])
    rows = (maybe & kept).arg_true().to_list()
    counts = {kind: [0] * docs.height for kind in ("email", "ip", "phone", "card")}
    new_texts = texts.to_list() if rows else None
    for row in rows:
        new_texts[row], found = redact(new_texts[row], placeholders)
        for kind, n in found.items():
            counts[kind][row] = n
    replacements = pl.DataFrame(counts, schema={k: pl.Int32 for k in counts}).select(
        pl.struct(pl.all()).alias("pii_replacements"))["pii_replacements"]
    out = docs.with_columns(pl.when(kept).then(replacements).otherwise(None).alias("pii_replacements"))
    if rows:
        out = out.with_columns(pl.Series("text", new_texts, dtype=pl.String).alias("text"))
        out = out.with_columns(pl.when(docs["text"].is_null()).then(None).otherwise(pl.col("text")).alias("text"))
    return out


def totals(docs: pl.DataFrame) -> dict[str, int]:
    """Replacements per kind over the documents, for the manifest."""
    if "pii_replacements" not in docs.columns:
        return {kind: 0 for kind in ("email", "ip", "phone", "card")}
    sums = docs.select(pl.col("pii_replacements").struct.unnest()).sum()
    return {kind: int(sums[kind][0] or 0) for kind in ("email", "ip", "phone", "card")}
