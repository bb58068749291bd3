"""A call is shown as its name and its academic year; a name that already writes the year out
(a natural thing to type) is not followed by it a second time."""

import pytest

from apps.programmes.models import Call, names_academic_year, with_academic_year_moved


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("Exchanges", "Exchanges (2027–2028)"),
        ("Second round (2027–2028)", "Second round (2027–2028)"),
        ("Second round 2027-2028", "Second round 2027-2028"),
        ("Second round 2027/28", "Second round 2027/28"),
        ("Second round 2027 – 2028", "Second round 2027 – 2028"),
        # Another year, or a number that only starts like one, is not this call's year.
        ("Second round (2026–2027)", "Second round (2026–2027) (2027–2028)"),
        ("Room 2027-2028b", "Room 2027-2028b (2027–2028)"),
        ("Lot 12027-28", "Lot 12027-28 (2027–2028)"),
    ],
)
def test_a_call_shows_its_year_once(name, shown):
    assert str(Call(name=name, academic_year=2027)) == shown


def test_a_year_written_out_is_moved_in_the_same_way():
    assert with_academic_year_moved("Round 2027–2028", 2027, 2028) == "Round 2028–2029"
    assert with_academic_year_moved("Round 2099/00", 2099, 2100) == "Round 2100/01"
    assert with_academic_year_moved("Exchanges", 2027, 2028) == "Exchanges"
    assert not names_academic_year("Round 2028–2029", 2027)
