"""The "Nominations to partners" pages: the partners of a call and where each list stands,
a partner's students with the e-mail and its sending (confirmed first), the CSV."""

import csv
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.applications.models import Application
from apps.notifications.models import Notification
from apps.reviews.models import NominationNotice
from apps.reviews.services.nominations import nomination_notice_send
from tests.applications.factories import login, messages_of
from tests.factories import CallFactory, PartnerFactory

from .builders import (
    S,
    csv_url,
    nominated,
    page_url,
    partner_with_address,
    seen_now,
    seen_post,
    send_url,
)

INDEX = reverse("reviews:nominations_index")

pytestmark = pytest.mark.django_db


def sent(dri, call, partner) -> NominationNotice:
    return nomination_notice_send(
        actor=dri, call=call, partner=partner, seen=seen_now(call, partner)
    )


# --- the list of partners ----------------------------------------------------------------


@pytest.mark.parametrize("persona", ["dri", "admin_user"])
def test_reviewers_see_one_row_per_partner_with_where_its_list_stands(client, request, persona):
    reviewer = request.getfixturevalue(persona)
    call = CallFactory(name="Exchanges")
    vienna = partner_with_address(name="Universität Wien", country="AT")
    nominated(call, vienna)
    nominated(call, vienna, state=S.ACCEPTED)
    lisbon = PartnerFactory(name="Universidade de Lisboa", country="PT")
    nominated(call, lisbon)
    PartnerFactory(name="Nobody there")
    nominated(CallFactory(name="Other call"), PartnerFactory(name="Other call's partner"))
    sent(reviewer, call, vienna)
    response = login(client, reviewer).get(INDEX, {"call": call.pk})
    assert response.status_code == 200
    rows = {row.partner.name: row for row in response.context["rows"]}
    assert set(rows) == {"Universidade de Lisboa", "Universität Wien"}
    assert (
        rows["Universität Wien"].students == 2
        and not rows["Universität Wien"].status.changed_since_sent
    )
    page = response.content.decode()
    assert "incoming@partner.example" in page and "Austria" in page
    assert reverse("admin:programmes_partner_change", args=[lisbon.pk]) in page  # no address
    assert "add one in the admin" in page and "Never" in page and "Unchanged" in page
    assert page_url(call, vienna) in page


def test_a_list_changed_since_it_was_sent_says_so(client, dri):
    call = CallFactory()
    partner = partner_with_address()
    leaves = nominated(call, partner)
    sent(dri, call, partner)
    Application.objects.filter(pk=leaves.pk).update(state=S.WITHDRAWN)
    nominated(call, partner)
    nominated(call, partner)
    response = login(client, dri).get(INDEX, {"call": call.pk})
    (row,) = response.context["rows"]
    assert row.status.changed_since_sent
    assert row.status.added_ids and len(row.status.removed_ids) == 1
    assert "2 added, 1 removed" in response.content.decode()


def test_a_partner_whose_every_student_left_since_its_list_stays_listed(client, dri):
    """Its only nomination undone (or withdrawn) after the list went: the partner still has a
    row saying so, else nothing leads the office to tell it."""
    call = CallFactory()
    partner = partner_with_address()
    leaves = nominated(call, partner)
    sent(dri, call, partner)
    Application.objects.filter(pk=leaves.pk).update(state=S.SUBMITTED)
    response = login(client, dri).get(INDEX, {"call": call.pk})
    (row,) = response.context["rows"]
    assert row.partner == partner and row.students == 0
    assert row.status.changed_since_sent and row.status.removed_ids == [leaves.pk]
    assert "0 added, 1 removed" in response.content.decode()


def test_the_current_call_is_shown_by_default(client, dri):
    today = timezone.localdate()

    def opening(day):
        return {"opens_on": day, "closes_on": day}

    old = CallFactory(academic_year=2025, **opening(today.replace(year=today.year - 2)))
    current = CallFactory(academic_year=2030, **opening(today))
    CallFactory(academic_year=2031, **opening(today.replace(year=today.year + 1)))  # not yet
    nominated(old, PartnerFactory())
    response = login(client, dri).get(INDEX)
    assert response.context["call"] == current and response.context["rows"] == []
    assert "No student is nominated to a partner for this call yet." in response.content.decode()


def test_the_search_finds_partners_whatever_their_accents_and_case(client, dri):
    call = CallFactory()
    for name in ("Universität Wien", "École Polytechnique de Montréal", "Politecnico di Milano"):
        nominated(call, PartnerFactory(name=name))
    login(client, dri)
    names = [
        row.partner.name
        for row in client.get(INDEX, {"call": call.pk, "q": "ECOLE montreal"}).context["rows"]
    ]
    assert names == ["École Polytechnique de Montréal"]
    names = [
        row.partner.name
        for row in client.get(INDEX, {"call": call.pk, "q": "universitat"}).context["rows"]
    ]
    assert names == ["Universität Wien"]
    response = client.get(INDEX, {"call": call.pk, "q": "Oxford"})
    assert "No partner with nominated students matches this name." in response.content.decode()


@pytest.mark.parametrize(
    "query", [{"call": "abc"}, {"call": "999999"}, {"page": "x"}, {"q": "x" * 500}]
)
def test_bad_parameters_never_crash(client, dri, query):
    call = CallFactory()
    nominated(call, PartnerFactory())
    assert login(client, dri).get(INDEX, query).status_code == 200


def test_the_list_is_paginated_in_a_number_of_queries_that_does_not_grow(
    client, dri, django_assert_num_queries, pages_rendered_each_time
):
    call = CallFactory()

    def queries_for(count: int) -> int:
        for _ in range(count):
            partner = partner_with_address()
            nominated(call, partner)
            nominated(call, partner)
            sent(dri, call, partner)
            nominated(call, partner)
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            response = client.get(INDEX, {"call": call.pk})
        assert response.status_code == 200
        return len(queries)

    login(client, dri)
    client.get(INDEX)  # the session's first save
    few = queries_for(2)
    many = queries_for(30)
    assert few == many
    # Session, user, unread notifications (3); the call chosen, the calls to pick from, the
    # count, the page of partners, their students, their last lists (with who sent them).
    with django_assert_num_queries(9):
        response = client.get(INDEX, {"call": call.pk})
    assert len(response.context["rows"]) == 25
    assert "Page 1 of 2" in response.content.decode()
    assert len(client.get(INDEX, {"call": call.pk, "page": 2}).context["rows"]) == 7


# --- a partner's page ---------------------------------------------------------------------


def test_the_partner_page_lists_the_students_the_e_mail_and_the_send_button(client, dri):
    call = CallFactory(name="Exchanges")
    partner = partner_with_address(name="Universität Wien")
    application = nominated(call, partner, first_name="Léa", last_name="Martin")
    nominated(call, PartnerFactory(), first_name="Zoé", last_name="Ailleurs")
    response = login(client, dri).get(page_url(call, partner))
    assert response.status_code == 200
    page = response.content.decode()
    profile = application.student.student_profile
    assert "Léa Martin" in page and profile.student_number in page and "Zoé" not in page
    assert "Students nominated to your institution" in page  # the preview's subject
    assert "nominates 1 student to Universität Wien" in page
    assert "Send to incoming@partner.example…" in page
    assert csv_url(call, partner) in page
    assert not NominationNotice.objects.exists()


def test_the_preview_escapes_what_students_wrote(client, dri):
    """The e-mail's text is rendered without escaping (it is plain text): the page escapes it
    when it shows it, or a name would be markup in the DRI's browser."""
    call = CallFactory()
    partner = partner_with_address()
    nominated(call, partner, first_name="<img src=x onerror=alert(1)>", last_name="Martin")
    page = login(client, dri).get(page_url(call, partner)).content.decode()
    assert "<img src=x" not in page
    assert "&lt;img src=x onerror=alert(1)&gt; Martin" in page


def test_a_partner_without_address_has_a_link_to_the_admin_and_no_button(client, dri):
    call = CallFactory()
    partner = PartnerFactory()
    nominated(call, partner)
    page = login(client, dri).get(page_url(call, partner)).content.decode()
    assert reverse("admin:programmes_partner_change", args=[partner.pk]) in page
    assert send_url(call, partner) not in page


def test_a_partner_nobody_is_nominated_to_has_no_page(client, dri):
    call = CallFactory()
    partner = partner_with_address()
    nominated(CallFactory(), partner)
    login(client, dri)
    assert client.get(page_url(call, partner)).status_code == 404
    assert client.get(csv_url(call, partner)).status_code == 404
    assert client.post(send_url(call, partner), seen_post(call, partner)).status_code == 404


def test_the_partner_page_is_read_in_a_number_of_queries_that_does_not_grow(
    client, dri, pages_rendered_each_time
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    call = CallFactory()
    partner = partner_with_address()
    login(client, dri)
    client.get(INDEX)  # the session's first save

    def queries_for(count: int) -> int:
        for _ in range(count):
            nominated(call, partner)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(page_url(call, partner)).status_code == 200
        return len(queries)

    assert queries_for(2) == queries_for(20)


def test_the_partner_page_query_count_is_pinned(
    client, dri, django_assert_num_queries, pages_rendered_each_time
):
    call = CallFactory()
    partner = partner_with_address()
    for _ in range(3):
        nominated(call, partner)
    sent(dri, call, partner)
    leaves = nominated(call, partner)
    sent(dri, call, partner)
    Application.objects.filter(pk=leaves.pk).update(state=S.WITHDRAWN)
    nominated(call, partner)
    login(client, dri)
    client.get(INDEX)  # the session's first save
    # Session, user, unread notifications (3); the call, the partner with its languages (2),
    # whether it has nominations (1), its students and its last list (2), the students listed
    # and those removed (2), the list before (for the e-mail's "replaces", 1), where its
    # e-mail stands (1).
    with django_assert_num_queries(12):
        response = client.get(page_url(call, partner))
    assert len(response.context["students"]) == 4 and len(response.context["removed"]) == 1


# --- sending ------------------------------------------------------------------------------


def test_sending_asks_for_confirmation_first_then_sends(client, dri):
    call = CallFactory()
    partner = partner_with_address()
    nominated(call, partner)
    login(client, dri)
    response = client.post(send_url(call, partner), seen_post(call, partner, confirmed=False))
    assert response.status_code == 200
    assert "Send the list of 1 student to incoming@partner.example?" in response.content.decode()
    assert not NominationNotice.objects.exists()
    response = client.post(send_url(call, partner), seen_post(call, partner))
    assert response.url == page_url(call, partner)
    notice = NominationNotice.objects.get()
    assert notice.actor == dri
    assert Notification.objects.filter(event="nominations_to_partner").count() == 1
    assert messages_of(response) == [
        "The list of 1 student is queued for incoming@partner.example."
    ]
    page = client.get(page_url(call, partner)).content.decode()
    assert "The list has not changed since." in page and "Send again to" in page


def test_the_page_says_whether_the_last_e_mail_went_out(client, dri):
    from apps.notifications.models import DeliveryStatus

    call = CallFactory()
    partner = partner_with_address()
    nominated(call, partner)
    notice = sent(dri, call, partner)
    login(client, dri)
    assert (
        "The e-mail is waiting to go out." in client.get(page_url(call, partner)).content.decode()
    )
    row = Notification.objects.filter(context__nomination_notice=notice.pk)
    row.update(status=DeliveryStatus.FAILED)
    page = client.get(page_url(call, partner)).content.decode()
    assert "The e-mail could not be delivered" in page
    row.update(status=DeliveryStatus.SENT)
    assert "The e-mail went out." in client.get(page_url(call, partner)).content.decode()


def test_a_double_submit_sends_once(client, dri):
    call = CallFactory()
    partner = partner_with_address()
    nominated(call, partner)
    login(client, dri)
    data = seen_post(call, partner)
    client.post(send_url(call, partner), data)
    response = client.post(send_url(call, partner), data)
    assert "A list was sent to this partner since you opened the page" in messages_of(response)[-1]
    assert NominationNotice.objects.count() == 1
    assert Notification.objects.filter(event="nominations_to_partner").count() == 1


def test_a_stale_page_sends_nothing_and_says_why(client, dri):
    call = CallFactory()
    partner = partner_with_address()
    nominated(call, partner)
    login(client, dri)
    data = seen_post(call, partner)
    nominated(call, partner)
    response = client.post(send_url(call, partner), data)
    assert response.url == page_url(call, partner)
    assert "changed since you opened the page" in messages_of(response)[0]
    assert not NominationNotice.objects.exists()


@pytest.mark.parametrize(
    "tampered",
    [{"applications": "1,x"}, {"applications": "9" * 30}, {"email": "nope"}, {"last_notice": "-1"}],
)
def test_a_tampered_form_sends_nothing_and_never_crashes(client, dri, tampered):
    call = CallFactory()
    partner = partner_with_address()
    nominated(call, partner)
    login(client, dri)
    response = client.post(send_url(call, partner), {**seen_post(call, partner), **tampered})
    assert response.status_code == 302
    assert messages_of(response) == ["The page sent an unreadable list: open it again."]
    assert not NominationNotice.objects.exists()


# --- the CSV ------------------------------------------------------------------------------


def test_the_csv_holds_the_same_students(client, dri):
    call = CallFactory(academic_year=2027)
    partner = partner_with_address()
    application = nominated(call, partner, first_name="Léa", last_name="=Martin")
    nominated(call, PartnerFactory(), first_name="Zoé")
    response = login(client, dri).get(csv_url(call, partner))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert f"nominations-2027-{partner.pk}.csv" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["Last name", "First name", "E-mail", "Student number"]
    choice = application.nominated_choice
    assert rows[1:] == [
        [
            "'=Martin",  # a formula to a spreadsheet, written as text
            "Léa",
            application.student.email,
            application.student.student_profile.student_number,
            "Semester or year exchange",
            choice.activity.start.isoformat(),
            choice.activity.end.isoformat(),
            str(application.student.student_profile.filiere),
            "FISE (student status)",
            "2A (second year)",
        ]
    ]


def test_in_french_the_csv_is_as_french_spreadsheets_read_it(client, dri):
    """Split on ";" as the queue's export (and French Excel) does, where it split on ","."""
    call = CallFactory()
    partner = partner_with_address()
    application = nominated(call, partner, first_name="Léa", last_name="Martin, de")
    response = login(client, dri).get(csv_url(call, partner), HTTP_ACCEPT_LANGUAGE="fr")
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeffNom;Prénom;")
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";"))
    assert [row[:3] for row in rows[1:]] == [["Martin, de", "Léa", application.student.email]]


def test_the_csv_reads_the_students_alone_in_a_fixed_number_of_queries(
    client, dri, django_assert_num_queries
):
    """Not the last list sent, which the file does not show."""
    call = CallFactory()
    partner = partner_with_address()
    nominated(call, partner)
    sent(dri, call, partner)
    login(client, dri)
    client.get(INDEX)  # the session's first save

    def rows_read() -> int:
        # Session, user (2); the call, the partner, its languages (3), whether it has
        # nominations (1), its students' ids (1), the students with their stays (1).
        with django_assert_num_queries(8):
            response = client.get(csv_url(call, partner))
        return len(list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))) - 1

    assert rows_read() == 1
    for _ in range(10):
        nominated(call, partner)
    assert rows_read() == 11


# --- who may ------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["dfi", "advisor", "student"])
def test_other_roles_get_403_everywhere(client, request, persona):
    call = CallFactory()
    partner = partner_with_address()
    nominated(call, partner)
    login(client, request.getfixturevalue(persona))
    assert client.get(INDEX).status_code == 403
    assert client.get(page_url(call, partner)).status_code == 403
    assert client.get(csv_url(call, partner)).status_code == 403
    assert client.post(send_url(call, partner), seen_post(call, partner)).status_code == 403
    assert not NominationNotice.objects.exists()


def test_anonymous_is_sent_to_login(client, db):
    assert client.get(INDEX).url.startswith(reverse("login"))


@pytest.mark.parametrize("persona", ["dri", "dfi", "advisor"])
def test_the_navigation_links_the_page_for_reviewers_only(client, request, persona):
    page = login(client, request.getfixturevalue(persona)).get(reverse("home")).content.decode()
    assert (f'href="{INDEX}"' in page) == (persona == "dri")


@pytest.mark.parametrize("state", [S.IN_MOBILITY, S.RETURNED, S.COMPLETED])
def test_a_student_gone_to_the_partner_since_the_list_is_still_on_it(client, dri, state):
    """Departed, back, completed: still nominated there, never "removed" (a list sent again
    told the partner its own student was no longer nominated)."""
    call = CallFactory()
    partner = partner_with_address()
    there = nominated(call, partner)
    sent(dri, call, partner)
    Application.objects.filter(pk=there.pk).update(state=state)
    response = login(client, dri).get(INDEX, {"call": call.pk})
    (row,) = response.context["rows"]
    assert row.students == 1 and not row.status.changed_since_sent
    page = client.get(page_url(call, partner))
    assert [a.pk for a in page.context["students"]] == [there.pk] and not page.context["removed"]


def test_where_the_e_mail_stands_is_read_by_its_key_not_its_context(dri):
    """The notifications table grows without end: a filter on the JSON context read all of it
    (a sequential scan, 31 ms at 21,000 rows); the key's index finds the row (0.1 ms)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from apps.reviews.selectors_nominations import delivery_of

    call = CallFactory()
    partner = partner_with_address()
    nominated(call, partner)
    notice = sent(dri, call, partner)
    other_partner = partner_with_address()
    nominated(call, other_partner)
    other = sent(dri, call, other_partner)
    Notification.objects.filter(context__nomination_notice=other.pk).update(status="sent")
    with CaptureQueriesContext(connection) as queries:
        assert delivery_of(notice) == "pending"
    (query,) = queries
    assert '"key"' in query["sql"] and "context" not in query["sql"]
