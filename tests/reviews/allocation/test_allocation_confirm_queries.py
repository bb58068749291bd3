"""Confirming the allocation of a large call: the agreements, the students' applications of the
year and the seats are locked and read once for the whole confirmation, not again for each
nomination (13,653 queries, 9.7 s for the 1,002 nominations of the largest call at 10,000
students). What the nominations write (their states, their history, their notifications, their
stays moving to the partner and their plans checked again) is written for all of them at once:
the count does not grow with the nominations (7,271 queries, 7.6 s for those 1,002 nominations
when written one by one)."""

# ruff: noqa: F811  (the fixture `hosts` is imported from test_allocation_confirm_writes)

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.applications.models import Application
from apps.reviews.services.allocation import allocation_confirm
from tests.factories import AgreementFactory, CallFactory
from tests.reviews.allocation.builders import S, versions, waiting
from tests.reviews.allocation.test_allocation_confirm_writes import (  # noqa: F401 (a fixture)
    WORLDS,
    hosts,
    new_student,
)

pytestmark = pytest.mark.django_db

# Per nomination: nothing more. For them all: the applications' rows and their history (an
# update, an insert), their notifications (an insert, their ids read back); and here, their
# stays moving to the partner (the plans locked, the activities saved, their course plan
# versions read to see whether they follow, the plans' activities read to check them again and
# their verdicts saved).
QUERIES_PER_NOMINATION = 0
# Everything, for any number of nominations (within one statement's batch: on SQLite, Django
# splits a bulk statement every few hundred rows; PostgreSQL takes them in one).
# A course plan coming back to the host it was written for (rare: the stay moved away while a
# draft): its lines copied back, the version saved and sent to the advisor, who is told.
QUERIES_PER_RESTORED_COURSE_PLAN = 14
# With the savepoint of its transaction and its release, the applications read again once
# locked, to compare with what the page showed of them, the office's notifications of
# their submissions settled (one update for them all), and the course plans of the stays the
# nominations leave out read, whose advisors' notices are settled (one more update when any).
CONFIRM_QUERIES = 19


def confirm_queries(dri, students: int) -> int:
    call = CallFactory(academic_year=2027)
    agreement = AgreementFactory(seats_per_year=students)
    applications = [waiting(call, [agreement], score=str(10 + n)) for n in range(students)]
    decisions = {application.pk: application.choices.get().pk for application in applications}
    seen = versions(decisions)
    with CaptureQueriesContext(connection) as queries:
        allocation_confirm(actor=dri, call=call, decisions=decisions, seen=seen)
    assert set(Application.objects.filter(call=call).values_list("state", flat=True)) == {
        S.NOMINATED
    }
    return len(queries)


def test_each_nomination_of_a_confirmation_costs_only_its_own_writes(dri):
    one = confirm_queries(dri, 1)
    four = confirm_queries(dri, 4)
    assert four - one == 3 * QUERIES_PER_NOMINATION


def test_a_confirmation_costs_a_fixed_number_of_queries(dri):
    assert confirm_queries(dri, 4) == CONFIRM_QUERIES


@pytest.mark.parametrize("world", ["moving to aalto", "moved back to munich"])
def test_course_plans_following_their_stays_cost_no_query_per_nomination(
    hosts, dri, advisor, world
):
    """A stay leaving a host it has courses for starts a new version for the host it moves
    to (inserted with the others); one coming back to a host its courses were written for
    gets them back (restored, and sent to the advisor, one by one: a few queries each)."""
    build = WORLDS[world]
    counts = []
    for students in (1, 4):
        placed = [
            build(hosts, new_student(f"{world}-{students}-{n}".replace(" ", "-"), advisor))
            for n in range(students)
        ]
        decisions = {application.pk: choice.pk for application, choice in placed}
        seen = versions(decisions)
        with CaptureQueriesContext(connection) as queries:
            allocation_confirm(actor=dri, call=hosts["call"], decisions=decisions, seen=seen)
        counts.append(len(queries))
    if world == "moving to aalto":
        # The new versions' insert, and the versions of the host left settled: the advisor's
        # notices of them, then the items of the digests that list them (two UPDATEs).
        assert counts[0] == counts[1] == CONFIRM_QUERIES + 1 + 2
    else:
        assert counts[1] - counts[0] == 3 * QUERIES_PER_RESTORED_COURSE_PLAN
