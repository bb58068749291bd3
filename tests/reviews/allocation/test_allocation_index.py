"""The list of calls to allocate seats for: DRI and administrators only."""

import pytest
from django.urls import reverse

from tests.applications.factories import login
from tests.factories import AgreementFactory, CallFactory
from tests.reviews.allocation.builders import S, detail_url, waiting

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
