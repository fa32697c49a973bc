"""Publication dates as inputs give them, to ISO 8601, and compared as moments."""

import polars as pl
import pytest

from prep.text.dates import iso_date, iso_dates, utc_instants


@pytest.mark.parametrize("given,iso", [
    ("2024-03-05", "2024-03-05"),                                   # ISO 8601 is kept as given
    ("2024-03-05 10:00:00", "2024-03-05 10:00:00"),
    ("2024-03-05T10:00:00-05:00", "2024-03-05T10:00:00-05:00"),
    ("Tue, 05 Mar 2024 10:00:00 +0000", "2024-03-05T10:00:00+00:00"),  # RFC 2822 (feeds, mail, HTTP)
    ("Tue, 05 Mar 2024 10:00:00 EST", "2024-03-05T10:00:00-05:00"),    # with its zone names
    ("March 5, 2024", "2024-03-05"),                                # the month by name: no order to guess
    ("5 March 2024", "2024-03-05"),
    ("Tuesday, Mar. 5, 2024", "2024-03-05"),
    ("Mar 5, 2024 10:30 AM", "2024-03-05T10:30:00"),
    ("Mar 5, 2024 10:30 PM", "2024-03-05T22:30:00"),
    ("Mar 5, 2024 12:15 AM", "2024-03-05T00:15:00"),
    ("March 5, 2024 at 22:30", "2024-03-05T22:30:00"),              # no seconds: still a time
    ("March 5, 2024 10:30 -05:00", "2024-03-05T10:30:00-05:00"),
    ("5 Mar 2024 10:30 +0100", "2024-03-05T10:30:00+01:00"),
    ("Mar 5, 2024 at 10:30 BST", "2024-03-05"),                     # a zone it does not know: the day only
])
def test_dates_that_say_their_day_are_read(given: str, iso: str):
    assert iso_date(given) == iso


@pytest.mark.parametrize("given", [
    "2024",            # a year alone
    "March 2024",      # a month alone
    "March 5",         # no year
    "03/05/2024",      # March or May
    "June 3-5, 2024", "Jun 10-12, 2024",  # ranges
    "March 5, 0001", "5 March 0", "1 May 10",  # no year of four digits, or one dateutil would change
    "5 Mar 2024 10:30 +999999999999999",  # an offset past any clock
    "yesterday", "may be soon", "Posted on March 5, 2024 by the desk", "", None,
])
def test_what_is_no_full_date_is_left_null(given):
    assert iso_date(given) is None


def test_each_distinct_date_of_a_column_is_read():
    assert iso_dates(pl.Series(["March 5, 2024", None, "2024", "March 5, 2024"])).to_list() == [
        "2024-03-05", None, None, "2024-03-05"]


def test_moments_read_offsets_and_leave_what_does_not_parse_undated():
    got = utc_instants(pl.Series(["1970-01-01T01:00:00+01:00", "1970-01-01", "1970-01-01 00:00:01", "soon", None]))
    assert got.to_list() == [0, 0, 1_000_000, None, None]
