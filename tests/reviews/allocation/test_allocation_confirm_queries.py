"""Confirming the allocation of a large call: the agreements, the students' applications of the
year and the seats are locked and read once for the whole confirmation, not again for each
nomination (13,653 queries, 9.7 s for the 1,002 nominations of the largest call at 10,000
students). What each nomination still writes (its state, its history, its notification) is
pinned: a few queries each."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.applications.models import Application
from apps.reviews.services.allocation import allocation_confirm
from tests.factories import AgreementFactory, CallFactory
from tests.reviews.allocation.builders import S, waiting

pytestmark = pytest.mark.django_db

# Per nomination: the application's row and its history (update, insert, two reads for the
# notification), its notification (insert, read back its id); and here, its stay moving to the
# partner (the plan locked, the activity saved, its course plan versions read to see whether
# they follow, the plan checked again and its verdict saved).
QUERIES_PER_NOMINATION = 11


def confirm_queries(dri, students: int) -> int:
    call = CallFactory(academic_year=2027)
    agreement = AgreementFactory(seats_per_year=students)
    applications = [waiting(call, [agreement], score=str(10 + n)) for n in range(students)]
    decisions = {application.pk: application.choices.get().pk for application in applications}
    with CaptureQueriesContext(connection) as queries:
        allocation_confirm(actor=dri, call=call, decisions=decisions)
    assert set(Application.objects.filter(call=call).values_list("state", flat=True)) == {
        S.NOMINATED
    }
    return len(queries)


def test_each_nomination_of_a_confirmation_costs_only_its_own_writes(dri):
    one = confirm_queries(dri, 1)
    four = confirm_queries(dri, 4)
    assert four - one == 3 * QUERIES_PER_NOMINATION
