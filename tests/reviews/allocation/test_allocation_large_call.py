"""A call of more than a thousand applicants: its allocation form sends one decision per
applicant, more fields than Django reads by default (1,000: the largest call of the 10,000-student
scale data has 1,278 applicants, and its review and confirmation answered 400)."""

import pytest

from apps.applications.models import ApplicationState
from tests.applications.factories import login
from tests.factories import AgreementFactory, CallFactory
from tests.reviews.allocation.builders import (
    confirm_url,
    decisions_post,
    review_url,
    seen_post,
    waiting,
)

APPLICANTS = 1_500


@pytest.fixture
def call(db):
    return CallFactory(academic_year=2027)


def large_call_post(call) -> tuple[dict[str, str], object]:
    """Two real applicants, and the unplaced decisions of a large call's other applicants (the
    pages read the decisions of the applications in the allocation only)."""
    agreement = AgreementFactory(partner__name="Alpha", seats_per_year=2)
    first = waiting(call, [agreement], score="18")
    second = waiting(call, [agreement], score="15")
    post = decisions_post({first: first.choices.get(rank=1), second: second.choices.get(rank=1)})
    post |= seen_post([first, second])
    missing = 10_000_000
    post |= {f"decision-{missing + n}": "unplaced" for n in range(APPLICANTS)}
    return post, (first, second)


def test_the_review_of_a_large_call_is_read(client, dri, call):
    post, _applications = large_call_post(call)
    response = login(client, dri).post(review_url(call), post)
    assert response.status_code == 200
    assert len(response.context["board"].placed) == 2


def test_the_confirmation_of_a_large_call_nominates(client, dri, call):
    post, applications = large_call_post(call)
    response = login(client, dri).post(confirm_url(call), post)
    assert response.status_code == 302
    for application in applications:
        application.refresh_from_db()
        assert application.state == ApplicationState.NOMINATED
