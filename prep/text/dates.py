"""Publication dates: read from what inputs give (ISO 8601, or a date that names its month as
in RFC 2822 feeds and English prose), written as ISO 8601, and compared as moments in time."""

from __future__ import annotations

import re
import warnings
from datetime import UTC, datetime, timedelta

import polars as pl
from dateutil import parser as dateutil_parser

# dateutil fills what a text leaves out from a default date: parsing with two defaults that
# differ in every field tells which fields the text gave
_DEFAULTS = (datetime(2000, 1, 1, 0, 0, 0), datetime(2001, 2, 2, 1, 1, 1))
_MONTH_NAME = re.compile(r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?(?![a-z])", re.IGNORECASE)
_YEAR = re.compile(r"(?<![\d+\-:])\d{4}(?!\d)")  # not an offset such as +0100 or -0500
# the zone names RFC 2822 allows (RFC 822's), in seconds east of UTC
_RFC822_ZONES = {"UT": 0, "UTC": 0, "GMT": 0, "Z": 0, "EST": -5 * 3600, "EDT": -4 * 3600, "CST": -6 * 3600,
                 "CDT": -5 * 3600, "MST": -7 * 3600, "MDT": -6 * 3600, "PST": -8 * 3600, "PDT": -7 * 3600}


def iso_dates(values: pl.Series) -> pl.Series:
    """`iso_date` of each value."""
    return _each_distinct(values, iso_date, pl.String)


def _each_distinct(values: pl.Series, parse, dtype: pl.DataType) -> pl.Series:
    """`parse` of each value, called once per distinct value (dates repeat across a corpus)."""
    distinct = values.drop_nulls().unique()
    return values.replace_strict(distinct, pl.Series([parse(v) for v in distinct], dtype=dtype), default=None,
                                 return_dtype=dtype)


def iso_date(value: str | None) -> str | None:
    """An ISO 8601 date or date-time as given; a date that names its month and gives its day and
    year ("Tue, 05 Mar 2024 10:00:00 +0000", "March 5, 2024", "5 Mar 2024 10:30 PM") converted,
    its time kept when it has one in a known zone or none; anything else null: a year or a
    month alone is no publication date, "03/05/2024" is March in one country and May in another,
    and "June 3-5, 2024" is a range."""
    if not value:
        return None
    try:
        datetime.fromisoformat(value)
        return value
    except ValueError:
        return _worded_date(value)


def _worded_date(value: str) -> str | None:
    years = _YEAR.findall(value)
    if not _MONTH_NAME.search(value) or len(years) != 1:
        return None
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            first, second = (dateutil_parser.parse(value, default=default, tzinfos=_RFC822_ZONES)
                             for default in _DEFAULTS)
        except (ValueError, OverflowError):
            return None
    if first.date() != second.date() or first.year != int(years[0]):  # a part missing, or a range
        return None
    unknown_zone = any(issubclass(w.category, dateutil_parser.UnknownTimezoneWarning) for w in caught)
    if first.hour != second.hour or unknown_zone:  # no time, or one of an unknown zone: the day only
        return first.date().isoformat()
    return first.isoformat()


def utc_instants(published: pl.Series) -> pl.Series:
    """Each ISO 8601 date as microseconds since the epoch, for ordering by time: as text,
    "2025-03-03T23:00:00-05:00" sorts before "2025-03-04T01:00:00+00:00", which it follows,
    and "2025-03-05 08:00" before "2025-03-05T07:00". A date or time without an offset is
    read as UTC; what does not parse counts as undated (null)."""
    return _each_distinct(published, _utc_microseconds, pl.Int64)


def _utc_microseconds(value: str) -> int | None:
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return (moment - datetime(1970, 1, 1, tzinfo=UTC)) // timedelta(microseconds=1)
