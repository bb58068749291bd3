"""The lists of nominations sent, in the admin: read only (each is the record of an e-mail gone,
which the next list compares itself with), found by the partner's name whatever its accents,
filtered by call and language."""

import pytest
from django.urls import reverse

from apps.reviews.models import NominationNotice
from apps.reviews.services.nominations import nomination_notice_send
from tests.applications.factories import login
from tests.factories import CallFactory, LanguageFactory

from .builders import nominated, partner_with_address, seen_now

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:reviews_nominationnotice_changelist")


def sent(dri, call, partner) -> NominationNotice:
    return nomination_notice_send(
        actor=dri, call=call, partner=partner, seen=seen_now(call, partner)
    )


@pytest.fixture
def notices(dri):
    call = CallFactory(name="Exchanges 2027")
    vienna = partner_with_address(name="Universität Wien")
    nominated(call, vienna)
    nominated(call, vienna)
    montreal = partner_with_address(name="École Polytechnique de Montréal")
    montreal.languages.add(LanguageFactory(code="fr", name="French"))
    nominated(call, montreal)
    return {"vienna": sent(dri, call, vienna), "montreal": sent(dri, call, montreal)}


def listed(client, **query) -> list[NominationNotice]:
    response = client.get(CHANGELIST, query)
    assert response.status_code == 200
    return list(response.context["cl"].result_list)


def test_the_list_shows_partner_date_sender_students_and_language(client, admin_user, notices):
    response = login(client, admin_user).get(CHANGELIST)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Universität Wien" in page and "École Polytechnique de Montréal" in page
    headers = [str(field) for field in response.context["cl"].list_display]
    assert headers == [
        "partner",
        "call",
        "sent_at",
        "actor",
        "student_count",
        "language",
        "email",
    ]
    rows = {row.partner.name: row for row in response.context["cl"].result_list}
    admin = response.context["cl"].model_admin
    assert admin.student_count(rows["Universität Wien"]) == 2
    assert rows["École Polytechnique de Montréal"].language == "fr"
    assert "column-student_count" in page and "Students" in page


@pytest.mark.parametrize("term", ["wien", "UNIVERSITAT", "montreal ecole"])
def test_the_search_finds_the_partner_whatever_its_accents_and_case(
    client, admin_user, notices, term
):
    login(client, admin_user)
    expected = notices["montreal"] if "montreal" in term else notices["vienna"]
    assert listed(client, q=term) == [expected]


def test_the_filters_pick_a_language_and_a_call(client, admin_user, notices, dri):
    login(client, admin_user)
    assert listed(client, language="fr") == [notices["montreal"]]
    other_call = CallFactory(name="Exchanges 2028")
    partner = partner_with_address(name="Universidade de Lisboa")
    nominated(other_call, partner)
    lisbon = sent(dri, other_call, partner)
    assert listed(client, call__id__exact=other_call.pk) == [lisbon]


def test_the_list_is_read_in_a_number_of_queries_that_does_not_grow(client, admin_user, dri):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    call = CallFactory()
    login(client, admin_user)
    client.get(CHANGELIST)  # the session's first save

    def queries_for(count: int) -> int:
        for _ in range(count):
            partner = partner_with_address()
            nominated(call, partner)
            sent(dri, call, partner)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(CHANGELIST).status_code == 200
        return len(queries)

    assert queries_for(2) == queries_for(10)


def test_nothing_is_added_changed_or_deleted_there(client, admin_user, notices):
    notice = notices["vienna"]
    login(client, admin_user)
    change_url = reverse("admin:reviews_nominationnotice_change", args=[notice.pk])
    page = client.get(change_url)
    assert page.status_code == 200
    content = page.content.decode()
    assert "Universität Wien" in content and 'name="_save"' not in content
    assert client.get(reverse("admin:reviews_nominationnotice_add")).status_code == 403
    assert client.post(change_url, {"email": "else@example.org"}).status_code == 403
    delete_url = reverse("admin:reviews_nominationnotice_delete", args=[notice.pk])
    assert client.post(delete_url, {"post": "yes"}).status_code == 403
    notice.refresh_from_db()
    assert notice.email == "incoming@partner.example"
    assert NominationNotice.objects.count() == 2


def test_the_dri_does_not_see_it(client, dri, notices):
    """The DRI's admin is the catalogue's (programmes): the lists are read on its own pages."""
    assert login(client, dri).get(CHANGELIST).status_code == 403
