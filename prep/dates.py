"""Publication dates: read from what inputs give (ISO 8601, RFC 2822, a date that names its
month), written as ISO 8601, and compared as moments in time."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

import polars as pl
from dateutil import parser as dateutil_parser

# dateutil fills what a text leaves out from a default date: parsing with two defaults that
# differ in every field tells which fields the text gave
_DEFAULTS = (datetime(2000, 1, 1, 0, 0, 0), datetime(2001, 2, 2, 1, 1, 1))
_MONTH_NAME = re.compile(r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?(?![a-z])", re.IGNORECASE)


def iso_dates(values: pl.Series) -> pl.Series:
    """Each distinct date parsed once (`iso_date`)."""
    distinct = values.drop_nulls().unique()
    if distinct.is_empty():
        return values
    return values.replace_strict(distinct, [iso_date(v) for v in distinct], default=None, return_dtype=pl.String)


def iso_date(value: str | None) -> str | None:
    """An ISO 8601 date or date-time as given; an RFC 2822 date ("Tue, 05 Mar 2024 10:00:00
    +0000") or one that names its month ("March 5, 2024", "5 Mar 2024 10:00") converted; anything
    else null: a year or a month alone is no publication date, and "03/05/2024" is March in one
    country and May in another."""
    if not value:
        return None
    try:
        datetime.fromisoformat(value)
        return value
    except ValueError:
        pass
    try:
        return parsedate_to_datetime(value).isoformat()
    except (TypeError, ValueError, IndexError):
        pass
    return _worded_date(value)


def _worded_date(value: str) -> str | None:
    if not _MONTH_NAME.search(value):
        return None
    try:
        first, second = (dateutil_parser.parse(value, default=default) for default in _DEFAULTS)
    except (ValueError, OverflowError):
        return None
    if first.date() != second.date():  # the day, the month or the year was missing
        return None
    return first.isoformat() if first.time() == second.time() else first.date().isoformat()


def utc_instants(published: pl.Series) -> pl.Series:
    """Each ISO 8601 date as microseconds since the epoch, for ordering by time: as text,
    "2025-03-03T23:00:00-05:00" sorts before "2025-03-04T01:00:00+00:00", which it follows,
    and "2025-03-05 08:00" before "2025-03-05T07:00". A date or time without an offset is
    read as UTC; what does not parse counts as undated (null)."""
    distinct = published.drop_nulls().unique()
    if distinct.is_empty():
        return pl.Series(published.name, [None] * len(published), dtype=pl.Int64)
    return published.replace_strict(distinct, [_utc_microseconds(v) for v in distinct], default=None,
                                    return_dtype=pl.Int64)


def _utc_microseconds(value: str) -> int | None:
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return (moment - datetime(1970, 1, 1, tzinfo=UTC)) // timedelta(microseconds=1)
