"""PII replacement: each kind, Luhn-valid and -invalid card numbers, what is left alone, the counts."""

from __future__ import annotations

import polars as pl
import pytest

from prep.config import PiiConfig
from prep.filter.pii import luhn, pii, redact, totals
from tests.filter.junk import luhn_digit, numbers

ALL = {"email": "<E>", "card": "<C>", "ip": "<I>", "phone": "<P>"}


def test_luhn():
    assert luhn("4111111111111111")
    assert not luhn("4111111111111112")
    assert luhn("79927398713")
    body = "453201511283036"
    assert luhn(body + luhn_digit(body))


@pytest.mark.parametrize(("text", "expected", "kind"), [
    ("write to jane.doe+news@mail.example.com today", "write to <E> today", "email"),
    ("card 4111 1111 1111 1111 on file", "card <C> on file", "card"),
    ("card 4111-1111-1111-1111 on file", "card <C> on file", "card"),
    ("card 4111111111111111 on file", "card <C> on file", "card"),
    ("amex 3782 822463 10005.", "amex <C>.", "card"),
    ("server 8.8.8.8 answered", "server <I> answered", "ip"),
    ("v6 2001:4860:4860::8888 answered", "v6 <I> answered", "ip"),
    ("call +44 20 7946 0958 now", "call <P> now", "phone"),
    ("call (555) 123-4567 now", "call <P> now", "phone"),
    ("call 555-123-4567 or 555.123.4567", "call <P> or <P>", "phone"),
])
def test_replaces(text: str, expected: str, kind: str):
    out, counts = redact(text, ALL)
    assert out == expected
    assert counts[kind] == expected.count(ALL[kind])


@pytest.mark.parametrize("text", [
    "card 4111 1111 1111 1112 fails the Luhn check",
    "order 1234 5678 9012 3456 starts with 1",
    "private 192.168.1.1, loopback 127.0.0.1 and documentation 192.0.2.7 addresses",
    "version 1.2.3.4.5 and 10.0.0.1",
    "on 2024-01-15 at 10:30:00 the price was 1 000 000 (ISBN 978-3-16-148410-0)",
    "room 555-1234 and year 2025",
])
def test_leaves_alone(text: str):
    out, counts = redact(text, ALL)
    assert out == text
    assert sum(counts.values()) == 0


def test_stage_counts_per_document_and_in_total():
    docs = pl.DataFrame({"text": ["mail a@b.example.com or c@d.example.org", "nothing", numbers(), "x@y.example.com"],
                         "drop_reason": [None, None, None, "exact_duplicate"]})
    out = pii(docs, PiiConfig(enabled=True))
    first = out["pii_replacements"][0]
    assert first == {"email": 2, "ip": 0, "phone": 0, "card": 0}
    assert out["text"][0] == "mail email@example.com or email@example.com"
    assert out["pii_replacements"][1] == {"email": 0, "ip": 0, "phone": 0, "card": 0}
    assert out["pii_replacements"][2] == {"email": 0, "ip": 0, "phone": 60, "card": 60}  # every card is Luhn-valid
    assert out["pii_replacements"][3] is None and out["text"][3] == "x@y.example.com"  # dropped: untouched
    assert totals(out) == {"email": 2, "ip": 0, "phone": 60, "card": 60}


def test_kinds_switch_off_and_stage_is_off_by_default():
    docs = pl.DataFrame({"text": ["a@b.example.com 8.8.8.8"]})
    assert pii(docs, PiiConfig()).equals(docs)
    out = pii(docs, PiiConfig(enabled=True, email=False, ip_placeholder="[IP]"))
    assert out["text"][0] == "a@b.example.com [IP]"


def test_placeholders_are_not_found_again():
    once, _ = redact("a@b.example.com +44 20 7946 0958 4111 1111 1111 1111 8.8.8.8",
                     {k: getattr(PiiConfig(), f"{k}_placeholder") for k in ALL})
    twice, counts = redact(once, {k: getattr(PiiConfig(), f"{k}_placeholder") for k in ("card", "ip", "phone")})
    assert twice == once and sum(counts.values()) == 0
