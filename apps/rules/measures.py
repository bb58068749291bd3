"""Calendar measures of the regulations. Every period includes both its first and last day."""

from calendar import monthrange
from collections.abc import Iterable
from datetime import date, timedelta

ONE_DAY = timedelta(days=1)
DAYS_PER_WEEK = 7


def days(start: date, end: date) -> int:
    return (end - start).days + 1


def weeks_to_days(weeks: int) -> int:
    return DAYS_PER_WEEK * weeks


def add_months(day: date, months: int) -> date:
    """The same day of month `months` later, clamped to that month's last day.

    31 January + 1 month is 28 February (29 in a leap year). Raises OverflowError past the
    calendar's last year.
    """
    month_index = day.month - 1 + months
    year = day.year + month_index // 12
    month = month_index % 12 + 1
    if not date.min.year <= year <= date.max.year:
        raise OverflowError(f"{months} months after {day} is beyond the calendar")
    if day.day <= 28:  # every month has it; the common case stays cheap
        return date(year, month, day.day)
    return date(year, month, min(day.day, monthrange(year, month)[1]))


def last_day_of_months(start: date, months: int) -> date | None:
    """The last day of a period of `months` months from `start`; None beyond the calendar."""
    try:
        return add_months(start, months) - ONE_DAY
    except OverflowError:
        # The day after is beyond the calendar, yet the period may end on its last day:
        # 1 January 9999 + 12 months is 1 January 10000, less a day 31 December 9999.
        month_index = start.year * 12 + start.month - 1 + months
        ends_on_the_last_day = start.day == 1 and month_index == (date.max.year + 1) * 12
        return date.max if ends_on_the_last_day else None


# N months last between 28 x N and 31 x N days: a period outside those bounds needs no
# month arithmetic, which makes most checks several times cheaper.
_SHORTEST_MONTH, _LONGEST_MONTH = 28, 31


def lasts_at_least_months(start: date, end: date, months: int) -> bool:
    length = days(start, end)
    if length >= _LONGEST_MONTH * months:
        return True
    if length < _SHORTEST_MONTH * months:
        return False
    last_day = last_day_of_months(start, months)
    return last_day is not None and end >= last_day


def lasts_at_most_months(start: date, end: date, months: int) -> bool:
    length = days(start, end)
    if length <= _SHORTEST_MONTH * months:
        return True
    if length > _LONGEST_MONTH * months:
        return False
    last_day = last_day_of_months(start, months)
    return last_day is None or end <= last_day


def months_and_days(start: date, end: date) -> tuple[int, int]:
    """Split a period into the whole months it lasts (as lasts_at_least_months counts them)
    and the days beyond them: 1 September 2026 to 28 February 2028 is 17 months and 28 days."""
    # One more month than the calendar months spanned is the most the period can last.
    months = (end.year - start.year) * 12 + end.month - start.month + 1
    while months > 0:
        last_day = last_day_of_months(start, months)
        if last_day is not None and end >= last_day:
            return months, (end - last_day).days
        months -= 1
    return 0, days(start, end)


def distinct_days(periods: Iterable[tuple[date, date]]) -> int:
    """The number of days covered by at least one period (merged in date order, overlaps once)."""
    total = 0
    covered_until: date | None = None
    for start, end in sorted(periods):
        if covered_until is None or start > covered_until:
            total += days(start, end)
            covered_until = end
        elif end > covered_until:
            total += (end - covered_until).days
            covered_until = end
    return total
