from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from apps.rules.measures import (
    add_months,
    days,
    distinct_days,
    lasts_at_least_months,
    lasts_at_most_months,
    months_and_days,
    weeks_to_days,
)

QUICK = settings(max_examples=200, deadline=None, database=None)


def test_days_counts_both_ends():
    assert days(date(2026, 9, 1), date(2026, 9, 1)) == 1
    assert days(date(2026, 9, 1), date(2026, 9, 30)) == 30
    assert days(date(2028, 2, 1), date(2028, 2, 29)) == 29


def test_weeks_are_seven_days():
    assert weeks_to_days(9) == 63
    assert weeks_to_days(17) == 119
    assert weeks_to_days(24) == 168


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2028, 1, 31), 1, date(2028, 2, 29)),
        (date(2028, 2, 29), 12, date(2029, 2, 28)),
        (date(2028, 2, 29), 48, date(2032, 2, 29)),
        (date(2026, 3, 31), 1, date(2026, 4, 30)),
        (date(2026, 8, 31), 18, date(2028, 2, 29)),
        (date(2026, 9, 1), 18, date(2028, 3, 1)),
        (date(2026, 11, 15), 2, date(2027, 1, 15)),
        (date(2026, 12, 31), 12, date(2027, 12, 31)),
    ],
)
def test_add_months_keeps_the_day_clamped_to_the_month(day, months, expected):
    assert add_months(day, months) == expected


def test_add_months_past_the_calendar_overflows():
    with pytest.raises(OverflowError):
        add_months(date(9999, 12, 1), 1)


@pytest.mark.parametrize(
    ("start", "end", "months", "at_least", "at_most"),
    [
        # 18 months from 1 September 2026 end on 29 February 2028 (a leap year).
        (date(2026, 9, 1), date(2028, 2, 29), 18, True, True),
        (date(2026, 9, 1), date(2028, 2, 28), 18, False, True),
        (date(2026, 9, 1), date(2028, 3, 1), 18, True, False),
        # From 31 January, one month ends on 27 February, or on 28 in a leap year.
        (date(2027, 1, 31), date(2027, 2, 27), 1, True, True),
        (date(2027, 1, 31), date(2027, 2, 26), 1, False, True),
        (date(2028, 1, 31), date(2028, 2, 28), 1, True, True),
        (date(2028, 1, 31), date(2028, 2, 27), 1, False, True),
        (date(2028, 1, 31), date(2028, 2, 29), 1, True, False),
        # From 29 February, twelve months end on 27 February of the next year.
        (date(2028, 2, 29), date(2029, 2, 27), 12, True, True),
        (date(2028, 2, 29), date(2029, 2, 26), 12, False, True),
    ],
)
def test_lasts_months_at_the_boundary(start, end, months, at_least, at_most):
    assert lasts_at_least_months(start, end, months) is at_least
    assert lasts_at_most_months(start, end, months) is at_most


@QUICK
@given(
    start=st.dates(date(2000, 1, 1), date(2100, 1, 1)),
    length=st.integers(0, 1000),
    months=st.sampled_from([1, 3, 6, 12, 18, 24]),
)
def test_lasts_months_is_the_definition(start, length, months):
    end = start + timedelta(days=length)
    last_day = add_months(start, months) - timedelta(days=1)
    assert lasts_at_least_months(start, end, months) == (end >= last_day)
    assert lasts_at_most_months(start, end, months) == (end <= last_day)


def test_months_beyond_the_calendar_are_never_reached():
    start, end = date(9999, 1, 15), date(9999, 12, 31)
    assert not lasts_at_least_months(start, end, 18)
    assert lasts_at_most_months(start, end, 18)
    assert months_and_days(start, end) == (11, 17)


@pytest.mark.parametrize(("start", "months"), [(date(9999, 1, 1), 12), (date(9999, 12, 1), 1)])
def test_a_period_ending_on_the_calendars_last_day_has_its_months(start, months):
    # The day after is beyond the calendar, but the period's last day is 31 December 9999.
    end = date(9999, 12, 31)
    assert lasts_at_least_months(start, end, months)
    assert lasts_at_most_months(start, end, months)
    assert not lasts_at_least_months(start, end - timedelta(days=1), months)
    assert months_and_days(start, end) == (months, 0)


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (date(2026, 9, 1), date(2028, 2, 28), (17, 28)),
        (date(2026, 9, 1), date(2028, 2, 29), (18, 0)),
        (date(2026, 9, 1), date(2026, 9, 1), (0, 1)),
        (date(2026, 9, 1), date(2026, 9, 30), (1, 0)),
        (date(2027, 1, 31), date(2027, 2, 27), (1, 0)),
        (date(2027, 1, 31), date(2027, 3, 30), (2, 0)),
        (date(2027, 1, 31), date(2027, 3, 31), (2, 1)),
        (date(2026, 7, 1), date(2026, 10, 1), (3, 1)),
    ],
)
def test_months_and_days(start, end, expected):
    assert months_and_days(start, end) == expected


@QUICK
@given(
    start=st.dates(date(2000, 1, 1), date(2100, 1, 1)),
    length=st.integers(0, 2000),
)
def test_months_and_days_agrees_with_lasts_at_least(start, length):
    end = start + timedelta(days=length)
    months, extra_days = months_and_days(start, end)
    assert lasts_at_least_months(start, end, months) or months == 0
    assert not lasts_at_least_months(start, end, months + 1)
    assert 0 <= extra_days <= 31


def test_distinct_days_counts_overlaps_once():
    first = (date(2026, 1, 1), date(2026, 1, 31))
    assert distinct_days([]) == 0
    assert distinct_days([first]) == 31
    assert distinct_days([first, first]) == 31
    assert distinct_days([first, (date(2026, 1, 31), date(2026, 2, 1))]) == 32
    assert distinct_days([(date(2026, 1, 10), date(2026, 1, 12)), first]) == 31
    assert distinct_days([first, (date(2026, 3, 1), date(2026, 3, 2))]) == 33


@QUICK
@given(
    st.lists(
        st.tuples(st.dates(date(2026, 1, 1), date(2026, 12, 31)), st.integers(0, 60)),
        max_size=6,
    )
)
def test_distinct_days_is_the_size_of_the_union(periods):
    intervals = [(start, start + timedelta(days=length)) for start, length in periods]
    union = {
        start + timedelta(days=offset)
        for start, end in intervals
        for offset in range(days(start, end))
    }
    assert distinct_days(intervals) == len(union)
