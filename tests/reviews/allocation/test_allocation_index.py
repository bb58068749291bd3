"""The list of calls to allocate seats for: DRI and administrators only."""

import pytest
from django.urls import reverse

from tests.applications.factories import login
from tests.factories import AgreementFactory, CallFactory
from tests.reviews.allocation.builders import S, detail_url, holding_seat, waiting

INDEX = reverse("reviews:allocation_index")

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("persona", ["dri", "admin_user"])
def test_reviewers_see_each_call_with_its_applications_to_allocate(client, request, persona):
    call = CallFactory(name="Exchanges", academic_year=2027)
    agreement = AgreementFactory()
    waiting(call, [agreement])
    waiting(call, [agreement], state=S.UNDER_REVIEW)
    waiting(call, [agreement], state=S.DRAFT)
    response = login(client, request.getfixturevalue(persona)).get(INDEX)
    assert response.status_code == 200
    assert [(row.pk, row.pool) for row in response.context["page"].object_list] == [(call.pk, 2)]
    assert f'href="{detail_url(call)}"' in response.content.decode()


def test_calls_are_paginated_in_a_fixed_number_of_queries(
    client, dri, django_assert_max_num_queries
):
    CallFactory.create_batch(25)
    login(client, dri)
    # Session, user, unread notifications, the session's save (3); the count and the page.
    with django_assert_max_num_queries(8):
        response = client.get(INDEX)
    assert len(response.context["page"].object_list) == 20
    assert "Page 1 of 2" in response.content.decode()
    assert len(client.get(INDEX, {"page": 2}).context["page"].object_list) == 5


@pytest.mark.parametrize("persona", ["dfi", "advisor", "student"])
def test_other_roles_get_403(client, request, persona):
    assert login(client, request.getfixturevalue(persona)).get(INDEX).status_code == 403


def test_anonymous_is_sent_to_login(client, db):
    assert client.get(INDEX).url.startswith(reverse("login"))


def test_the_count_leaves_out_students_nominated_elsewhere_that_year_as_the_allocation_does(
    client, dri
):
    """A student already nominated through another call of the year is not ranked again: the
    list said "1 application" where the call's allocation ranked none."""
    from apps.applications.models import Application

    call = CallFactory(name="Round 2", academic_year=2027)
    agreement = AgreementFactory()
    holder = holding_seat(CallFactory(name="Round 1", academic_year=2027), agreement)
    waiting(call, [agreement], student=holder.student)
    other_year = holding_seat(CallFactory(name="Next year", academic_year=2028), agreement)
    waiting(call, [agreement], student=other_year.student)
    login(client, dri)
    rows = {row.pk: row.pool for row in client.get(INDEX).context["page"].object_list}
    ranked = client.get(detail_url(call)).context["board"].rows
    assert rows[call.pk] == len(ranked) == 1
    assert Application.objects.filter(call=call).count() == 2
