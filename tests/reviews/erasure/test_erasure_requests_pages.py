"""The administrators' side of erasure: the list (pending first, paginated, in a fixed number of
queries), the confirmation page, carrying a request out and refusing one."""

import pytest
from django.urls import reverse

from apps.applications.erasure import (
    erasure_request_cancel,
    erasure_request_refuse,
    erasure_request_submit,
)
from apps.applications.models import Application, ErasureRequest, ErasureState
from tests.applications.factories import login, messages_of
from tests.factories import CallFactory, StudentProfileFactory

pytestmark = pytest.mark.django_db

LIST = reverse("reviews:erasure_requests")
CONFIRMED = {"confirm": "on"}


def page_url(request: ErasureRequest) -> str:
    return reverse("reviews:erasure_request", args=[request.pk])


def carry_out_url(request: ErasureRequest) -> str:
    return reverse("reviews:erasure_carry_out", args=[request.pk])


def refuse_url(request: ErasureRequest) -> str:
    return reverse("reviews:erasure_refuse", args=[request.pk])


@pytest.fixture
def pending(student) -> ErasureRequest:
    return erasure_request_submit(actor=student, reason="I am leaving.")


# --- who may ----------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["student", "other_student", "advisor", "dri", "dfi"])
def test_only_administrators_reach_the_pages(client, request, persona, pending):
    login(client, request.getfixturevalue(persona))
    assert client.get(LIST).status_code == 403
    assert client.get(page_url(pending)).status_code == 403
    assert client.post(carry_out_url(pending)).status_code == 403
    assert client.post(refuse_url(pending), {"reason": "No."}).status_code == 403
    pending.refresh_from_db()
    assert pending.is_pending


def test_anonymous_is_sent_to_login(client, pending):
    for url in (LIST, page_url(pending)):
        assert client.get(url).url.startswith(reverse("login"))
    assert client.post(carry_out_url(pending)).url.startswith(reverse("login"))


def test_an_administrator_without_superuser_rights_handles_requests(client, pending):
    from tests.factories import UserFactory

    it = UserFactory(email="it@example.org", role="admin")
    assert login(client, it).get(LIST).status_code == 200
    assert client.get(page_url(pending)).status_code == 200


def test_a_request_that_does_not_exist_is_not_found(client, admin_user):
    login(client, admin_user)
    assert client.get(reverse("reviews:erasure_request", args=[999])).status_code == 404
    assert client.post(reverse("reviews:erasure_carry_out", args=[999])).status_code == 404


def test_carrying_out_and_refusing_are_post_only(client, admin_user, pending):
    login(client, admin_user)
    assert client.get(carry_out_url(pending)).status_code == 405
    assert client.get(refuse_url(pending)).status_code == 405


# --- the list ----------------------------------------------------------------------------


def test_pending_requests_come_first_the_longest_waiting_on_top(client, admin_user):
    students = [StudentProfileFactory().user for _n in range(4)]
    refused = erasure_request_submit(actor=students[0])
    erasure_request_refuse(actor=admin_user, request=refused, reason="No.")
    older = erasure_request_submit(actor=students[1])
    cancelled = erasure_request_submit(actor=students[2])
    erasure_request_cancel(actor=students[2], request=cancelled)
    newer = erasure_request_submit(actor=students[3])
    response = login(client, admin_user).get(LIST)
    assert list(response.context["page"].object_list) == [older, newer, cancelled, refused]
    page = response.content.decode()
    assert str(students[1]) in page and "I am leaving" not in page


def test_the_list_says_when_an_application_is_under_way(client, admin_user, student, pending):
    Application.objects.create(student=student, call=CallFactory(), state="draft")
    page = login(client, admin_user).get(LIST).content.decode()
    assert "An application is still under way" in page


def test_an_erased_student_is_not_named_in_the_list(client, admin_user, student, pending):
    login(client, admin_user).post(carry_out_url(pending), CONFIRMED)
    page = client.get(LIST).content.decode()
    assert "Erased student" in page
    assert "student@example.org" not in page and "I am leaving." not in page


def many_requests(count: int) -> None:
    for _n in range(count):
        erasure_request_submit(actor=StudentProfileFactory().user, reason="Reason.")


# The session and the user; the requests' count, and the page of them with their students and
# whether each has an application under way (one query); the menu's unread notifications.
LIST_QUERIES = 5


@pytest.mark.usefixtures("pages_rendered_each_time")
def test_the_list_takes_the_same_queries_for_one_row_or_a_full_page(
    client, admin_user, settings, django_assert_num_queries
):
    settings.CATALOGUE_PAGE_SIZE = 20
    many_requests(1)
    login(client, admin_user).get(LIST)  # the first page after login saves the session
    with django_assert_num_queries(LIST_QUERIES):
        response = client.get(LIST)
    assert len(response.context["page"].object_list) == 1
    many_requests(29)
    with django_assert_num_queries(LIST_QUERIES):
        response = client.get(LIST)
    assert len(response.context["page"].object_list) == 20
    second = client.get(LIST, {"page": 2})
    assert len(second.context["page"].object_list) == 10


# --- the confirmation page ---------------------------------------------------------------


def test_the_page_says_what_erasure_removes_and_keeps(client, admin_user, student, pending):
    page = login(client, admin_user).get(page_url(pending)).content.decode()
    assert str(student) in page and student.student_profile.student_number in page
    assert "I am leaving." in page
    assert "It cannot be undone." in page
    assert "Kept without their name, for the school's records and statistics" in page
    assert "the courses of their course plans and the credits obtained" in page
    assert carry_out_url(pending) in page and refuse_url(pending) in page


def test_the_page_offers_no_erasure_while_an_application_is_under_way(
    client, admin_user, student, pending
):
    application = Application.objects.create(student=student, call=CallFactory(), state="draft")
    page = login(client, admin_user).get(page_url(pending)).content.decode()
    assert "has an application still under way" in page
    assert reverse("reviews:dossier", args=[application.pk]) in page
    assert carry_out_url(pending) not in page and refuse_url(pending) in page


def test_carrying_out(client, admin_user, student, pending):
    response = login(client, admin_user).post(carry_out_url(pending), CONFIRMED)
    assert response.url == LIST
    assert messages_of(response) == [
        "The student's personal data is erased; they are told by e-mail."
    ]
    pending.refresh_from_db()
    student.refresh_from_db()
    assert pending.state == ErasureState.ERASED and not student.is_active
    # The student's session is over: their next page is the login page.
    assert login(client, student).get(reverse("home")).status_code in (302, 403)


def test_carrying_out_needs_the_box_ticked(client, admin_user, student, pending):
    response = login(client, admin_user).post(carry_out_url(pending))
    assert response.status_code == 400
    assert "Tick the box to confirm: erasure cannot be undone." in response.content.decode()
    pending.refresh_from_db()
    student.refresh_from_db()
    assert pending.is_pending and student.is_active
    page = client.get(page_url(pending)).content.decode()
    assert 'name="confirm"' in page
    assert "I confirm: erase this student&#x27;s personal data for good." in page


def test_carrying_out_twice_says_so(client, admin_user, pending):
    login(client, admin_user)
    client.post(carry_out_url(pending), CONFIRMED)
    again = client.post(carry_out_url(pending), CONFIRMED)
    assert again.url == page_url(pending)
    assert messages_of(again)[-1] == "This request is erased already: there is nothing left to do."
    handled = client.get(page_url(pending)).content.decode()
    assert carry_out_url(pending) not in handled and "Erased student" in handled


def test_refusing(client, admin_user, pending):
    response = login(client, admin_user).post(refuse_url(pending), {"reason": "Legal hold."})
    assert response.url == LIST
    assert messages_of(response) == ["The request is refused; the student is told why."]
    pending.refresh_from_db()
    assert pending.state == ErasureState.REFUSED
    assert pending.history.last().comment == "Legal hold."


def test_a_refusal_without_reason_is_a_form_error(client, admin_user, pending):
    response = login(client, admin_user).post(refuse_url(pending), {"reason": "  "})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    pending.refresh_from_db()
    assert pending.is_pending


def test_a_refusal_too_long_keeps_the_typed_text(client, admin_user, pending):
    typed = "Because " + "indeed " * 300
    response = login(client, admin_user).post(refuse_url(pending), {"reason": typed})
    assert response.status_code == 400
    assert typed.strip() in response.content.decode()
    pending.refresh_from_db()
    assert pending.is_pending


def test_a_refusal_of_a_request_cancelled_meanwhile_shows_the_request_as_it_is_now(
    client, admin_user, student, pending
):
    login(client, admin_user)
    erasure_request_cancel(actor=student, request=pending)
    response = client.post(refuse_url(pending), {"reason": "Typed before the cancellation."})
    assert response.status_code == 409
    page = response.content.decode()
    assert "This request is cancelled already" in page
    assert "Cancelled" in page


@pytest.mark.parametrize(("persona", "shown"), [("admin_user", True), ("dri", False)])
def test_the_menu_leads_administrators_to_the_requests(client, request, persona, shown):
    page = login(client, request.getfixturevalue(persona)).get(reverse("home"), follow=True)
    assert (f'href="{LIST}"' in page.content.decode()) is shown
