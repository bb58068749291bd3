"""The student's side of erasure: the privacy page, the confirmation page that says what is
removed and what is kept, the refusal while an application is under way, and cancelling."""

import json
import zipfile
from io import BytesIO

import pytest
from django.urls import reverse

from apps.applications.erasure import erasure_request_refuse, erasure_request_submit
from apps.applications.errors import ServiceError
from apps.applications.models import Application, ErasureRequest, ErasureState
from tests.applications.factories import login, messages_of
from tests.factories import CallFactory

pytestmark = pytest.mark.django_db

PRIVACY = reverse("applications:privacy_export")
ASK = reverse("applications:erasure_request")


def cancel_url(request: ErasureRequest) -> str:
    return reverse("applications:erasure_cancel", args=[request.pk])


def test_the_privacy_page_offers_erasure(client, student):
    page = login(client, student).get(PRIVACY).content.decode()
    assert "Erase my data" in page
    assert f'href="{ASK}"' in page


def test_the_confirmation_says_what_is_removed_and_what_is_kept(client, student):
    response = login(client, student).get(ASK)
    assert response.status_code == 200
    page = response.content.decode()
    assert "your name, e-mail address and student number" in page
    assert "your account: you can no longer sign in." in page
    assert "the courses of your course plans and the credits obtained" in page
    assert 'name="reason"' in page
    assert not ErasureRequest.objects.exists()  # a GET asks nothing


def test_the_confirmation_offers_the_download_of_the_data_first(client, student):
    page = login(client, student).get(ASK).content.decode()
    assert f'<form method="post" action="{PRIVACY}"' in page
    assert "Download my data" in page


def test_the_student_asks_with_a_reason(client, student):
    response = login(client, student).post(ASK, {"reason": "I am leaving the school."})
    assert response.status_code == 302 and response.url == PRIVACY
    assert messages_of(response) == [
        "Your request is sent to the administrators. You will be told of the outcome by e-mail."
    ]
    request = ErasureRequest.objects.get()
    assert (request.student, request.reason, request.state) == (
        student,
        "I am leaving the school.",
        ErasureState.PENDING,
    )
    page = client.get(PRIVACY).content.decode()
    assert "The administrators have not handled your request yet" in page
    assert cancel_url(request) in page
    assert f'href="{ASK}"' not in page


def test_a_reason_too_long_is_a_form_error_that_keeps_the_text(client, student):
    typed = "Because " + "really " * 300
    response = login(client, student).post(ASK, {"reason": typed})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Ensure this value has at most 2000 characters" in page
    assert typed.strip() in page
    assert not ErasureRequest.objects.exists()


def test_an_application_under_way_is_said_at_once_and_the_form_not_offered(client, student):
    application = Application.objects.create(
        student=student, call=CallFactory(name="Exchanges 2031"), state="submitted"
    )
    page = login(client, student).get(ASK).content.decode()
    assert "You have an application still under way. Withdraw it first" in page
    assert reverse("applications:application_detail", args=[application.pk]) in page
    assert 'name="reason"' not in page


def test_a_post_while_an_application_is_under_way_is_refused(client, student):
    Application.objects.create(student=student, call=CallFactory(), state="draft")
    response = login(client, student).post(ASK, {"reason": "Please."})
    assert response.status_code == 409
    assert "Withdraw it first" in response.content.decode()
    assert not ErasureRequest.objects.exists()


HOST_REFUSED_NOT_ENDED = (
    "An application refused by its host has not ended: the office may still nominate you to "
    "another of your choices."
)


def test_an_application_refused_by_its_host_is_said_not_to_have_ended(client, student):
    """It reads "refused" to the student, yet the office may still nominate them elsewhere:
    "wait until it ends (completed, refused or withdrawn)" alone let them think it had."""
    Application.objects.create(student=student, call=CallFactory(), state="host_refused")
    login(client, student)
    page = client.get(ASK).content.decode()
    assert HOST_REFUSED_NOT_ENDED in page
    assert "(refused by the host)" in page
    response = client.post(ASK, {"reason": "Please."})
    assert response.status_code == 409
    assert HOST_REFUSED_NOT_ENDED in response.content.decode()
    assert not ErasureRequest.objects.exists()


def test_the_service_says_so_too(student, english):
    Application.objects.create(student=student, call=CallFactory(), state="host_refused")
    with pytest.raises(ServiceError, match=HOST_REFUSED_NOT_ENDED):
        erasure_request_submit(actor=student)


def test_other_applications_under_way_do_not_mention_a_host(client, student):
    Application.objects.create(student=student, call=CallFactory(), state="nominated")
    page = login(client, student).get(ASK).content.decode()
    assert "(completed, refused or withdrawn)" in page
    assert "refused by its host" not in page


def test_a_second_post_asks_once(client, student):
    """A double click: the second post meets the first's request."""
    login(client, student)
    client.post(ASK, {"reason": "Once."})
    again = client.post(ASK, {"reason": "Once."})
    assert again.status_code == 409
    assert "You have already asked for your data to be erased." in again.content.decode()
    assert ErasureRequest.objects.count() == 1


def test_the_student_cancels(client, student):
    request = erasure_request_submit(actor=student)
    response = login(client, student).post(cancel_url(request))
    assert response.url == PRIVACY
    assert messages_of(response) == ["Your erasure request is cancelled: your data stays."]
    request.refresh_from_db()
    assert request.state == ErasureState.CANCELLED
    again = client.post(cancel_url(request))
    assert messages_of(again)[-1] == (
        "This request is cancelled already: there is nothing left to do."
    )


def test_another_students_request_is_not_found(client, student, other_student):
    request = erasure_request_submit(actor=student)
    assert login(client, other_student).post(cancel_url(request)).status_code == 404
    request.refresh_from_db()
    assert request.is_pending


def test_cancel_is_post_only(client, student):
    request = erasure_request_submit(actor=student)
    assert login(client, student).get(cancel_url(request)).status_code == 405


@pytest.mark.parametrize("persona", ["advisor", "dri", "dfi", "admin_user"])
def test_staff_have_no_erasure_request_of_their_own(client, request, persona):
    login(client, request.getfixturevalue(persona))
    assert client.get(ASK).status_code == 403
    assert client.post(ASK, {"reason": "x"}).status_code == 403
    assert not ErasureRequest.objects.exists()


def test_anonymous_is_sent_to_login(client):
    assert client.get(ASK).url.startswith(reverse("login"))


def test_a_refusal_and_its_reason_show_on_the_privacy_page(client, student, admin_user):
    request = erasure_request_submit(actor=student)
    erasure_request_refuse(actor=admin_user, request=request, reason="Your diploma is pending.")
    page = login(client, student).get(PRIVACY).content.decode()
    assert "was refused." in page and "Reason: Your diploma is pending." in page
    assert f'href="{ASK}"' in page  # may ask again


def test_the_export_holds_the_erasure_requests(client, student, admin_user):
    request = erasure_request_submit(actor=student, reason="First.")
    erasure_request_refuse(actor=admin_user, request=request, reason="Not yet.")
    erasure_request_submit(actor=student)
    response = login(client, student).post(PRIVACY)
    with zipfile.ZipFile(BytesIO(response.content)) as archive:
        data = json.loads(archive.read("data.json"))
    pending, refused = data["erasure_requests"]
    assert (pending["state"], refused["state"], refused["reason"]) == (
        "pending",
        "refused",
        "First.",
    )
    assert [(t["from"], t["to"], t["comment"]) for t in refused["history"]] == [
        ("", "pending", ""),
        ("pending", "refused", "Not yet."),
    ]
