"""The one Month type: every form it is given in, what it refuses, and its arithmetic by hand."""
import datetime as dt
import pickle

import duckdb
import numpy as np
import pandas as pd
import pytest

from scrutiny.core.months import (BadMonth, Month, add_months, month_key, month_label, month_range,
                                  months_of, parse_month)


@pytest.mark.parametrize("value", [
    Month(2024, 3),
    dt.date(2024, 3, 1),
    dt.date(2024, 3, 31),
    dt.datetime(2024, 3, 17, 23, 59),
    pd.Timestamp("2024-03-09"),
    np.datetime64("2024-03-09"),
    "2024-03",
    " 2024-03 ",
    "2024-03-01",
    "2024-03-31",
], ids=repr)
def test_every_accepted_form_gives_the_first_of_its_month(value):
    month = Month.of(value)
    assert type(month) is Month
    assert (month.year, month.month, month.day) == (2024, 3, 1)


@pytest.mark.parametrize("value, reason", [
    ("2024-13", "'2024-13' is not a month in the form YYYY-MM"),
    ("2024-00", "'2024-00' is not a month in the form YYYY-MM"),
    ("2023-02-29", "'2023-02-29' is not a date: day is out of range for month"),
    ("March 2024", "'March 2024' is not a month in the form YYYY-MM (or a date YYYY-MM-DD)"),
    ("2024-3", "'2024-3' is not a month in the form YYYY-MM (or a date YYYY-MM-DD)"),
    ("", "'' is not a month in the form YYYY-MM (or a date YYYY-MM-DD)"),
    (None, "None (NoneType) is not a month"),
    (202403, "202403 (int) is not a month"),
    (pd.NaT, "no month given (NaT)"),
])
def test_bad_inputs_are_refused_with_a_reason(value, reason):
    with pytest.raises(BadMonth) as raised:
        Month.of(value)
    assert str(raised.value) == reason


def test_a_month_is_always_the_first_and_cannot_be_changed():
    with pytest.raises(BadMonth):
        Month(2024, 1, 15)
    with pytest.raises(BadMonth):
        Month(2024, 1).replace(day=2)
    with pytest.raises(AttributeError):
        Month(2024, 1).label = "something else"


def test_key_and_label():
    assert Month(2024, 1).key == "2024-01"
    assert Month(987, 11).key == "0987-11"
    assert Month(2024, 1).label == "January 2024"
    assert Month(2023, 12).label == "December 2023"


@pytest.mark.parametrize("start, count, expected", [
    (Month(2024, 1), 1, Month(2024, 2)),
    (Month(2023, 12), 1, Month(2024, 1)),     # into the next year
    (Month(2024, 1), -1, Month(2023, 12)),    # back into the year before
    (Month(2023, 11), 14, Month(2025, 1)),    # across two year ends
    (Month(2024, 3), -27, Month(2021, 12)),
    (Month(2024, 3), 0, Month(2024, 3)),
])
def test_plus_counts_months_across_year_ends(start, count, expected):
    assert start.plus(count) == expected
    assert type(start.plus(count)) is Month


def test_year_before():
    assert Month(2024, 1).year_before == Month(2023, 1)
    assert Month(2024, 12).year_before == Month(2023, 12)
    assert type(Month(2024, 1).year_before) is Month


def test_a_month_is_a_date_to_everything_else():
    month = Month(2024, 1)
    assert month == dt.date(2024, 1, 1) and hash(month) == hash(dt.date(2024, 1, 1))
    assert {dt.date(2024, 1, 1): "found"}[month] == "found"
    assert dt.date(2023, 12, 1) < month < dt.date(2024, 1, 2)
    assert str(month) == "2024-01-01" and f"{month}" == "2024-01-01"
    assert repr(month) == "Month(2024, 1)"
    assert pickle.loads(pickle.dumps(month)) == month
    assert type(pickle.loads(pickle.dumps(month))) is Month
    # moved by days it is no longer a month, so the result is a plain date
    assert month + dt.timedelta(days=1) == dt.date(2024, 1, 2)
    assert month - dt.timedelta(days=1) == dt.date(2023, 12, 31)
    assert month - Month(2023, 12) == dt.timedelta(days=31)


def test_duckdb_binds_a_month_as_a_date():
    con = duckdb.connect()
    assert con.execute("select typeof($m), $m + interval 1 month", {"m": Month(2024, 1)}).fetchone() == (
        "DATE", dt.datetime(2024, 2, 1))


def test_months_of_a_query_result_column():
    column = pd.Series(pd.to_datetime(["2023-12-01", "2024-01-01"]))
    assert months_of(column) == [Month(2023, 12), Month(2024, 1)]
    assert all(type(m) is Month for m in months_of(column))


def test_the_old_functions_keep_working_and_return_months():
    assert parse_month("2024-01") == Month(2024, 1) and type(parse_month("2024-01")) is Month
    with pytest.raises(BadMonth, match="'2024-01-15' is not a month in the form YYYY-MM"):
        parse_month("2024-01-15")  # what a user types must be a month, not a day
    assert month_key(dt.date(2024, 1, 20)) == "2024-01"
    assert month_label(dt.date(2024, 2, 1)) == "February 2024"
    assert add_months(dt.date(2023, 11, 1), 3) == Month(2024, 2)
    assert month_range(dt.date(2023, 11, 1), Month(2024, 2)) == [
        Month(2023, 11), Month(2023, 12), Month(2024, 1), Month(2024, 2)]
    assert month_range(Month(2024, 2), Month(2024, 1)) == []
