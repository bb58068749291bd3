"""Internal comments between staff on a dossier; never shown to the student."""

import pytest
from django.urls import reverse

from apps.applications.errors import ServiceError
from apps.reviews.models import InternalComment
from apps.reviews.services.decisions import internal_comment_add
from tests.applications.factories import login, messages_of
from tests.reviews.dri.builders import dossier_url, post_as, submitted

SECRET = "Check the transcript with the registrar before nominating."


def comment_url(application):
    return reverse("reviews:dossier_comment", args=[application.pk])


def test_service_adds_a_comment_for_the_dri(dri, student):
    comment = internal_comment_add(actor=dri, application=submitted(student), text=f" {SECRET} ")
    assert (comment.author, comment.text) == (dri, SECRET)


def test_service_refuses_an_empty_comment(dri, student):
    application = submitted(student)
    with pytest.raises(ServiceError):
        internal_comment_add(actor=dri, application=application, text="   ")
    assert not InternalComment.objects.exists()


@pytest.mark.parametrize("persona", ["advisor", "student", "dfi"])
def test_service_refuses_students_advisors_and_the_dfi(request, persona, student):
    with pytest.raises(ServiceError):
        internal_comment_add(
            actor=request.getfixturevalue(persona), application=submitted(student), text=SECRET
        )
    assert not InternalComment.objects.exists()


def test_the_dfi_reads_comments_but_does_not_write_them(client, dfi, dri, student):
    application = submitted(student)
    internal_comment_add(actor=dri, application=application, text=SECRET)
    response = post_as(client, dfi, comment_url(application), {"comment-text": "mine"})
    assert response.status_code == 403
    page = client.get(dossier_url(application)).content.decode()
    assert SECRET in page and comment_url(application) not in page


def test_staff_comment_from_the_dossier_page(client, dri, student):
    application = submitted(student)
    response = post_as(client, dri, comment_url(application), {"comment-text": SECRET})
    assert response.url == dossier_url(application)
    assert messages_of(response) == ["Your internal comment is added."]
    assert SECRET in client.get(dossier_url(application)).content.decode()


def test_an_empty_comment_is_a_form_error(client, dri, student):
    application = submitted(student)
    response = post_as(client, dri, comment_url(application), {"comment-text": ""})
    assert response.status_code == 400
    assert response.context["comment_form"].errors["text"]
    assert not InternalComment.objects.exists()


@pytest.mark.parametrize("persona", ["advisor", "student"])
def test_others_get_403(client, request, persona, student):
    application = submitted(student)
    response = post_as(
        client, request.getfixturevalue(persona), comment_url(application), {"comment-text": SECRET}
    )
    assert response.status_code == 403
    assert not InternalComment.objects.exists()


def test_anonymous_is_sent_to_login(client, student):
    application = submitted(student)
    response = post_as(client, None, comment_url(application), {"comment-text": SECRET})
    assert response.url.startswith(reverse("login"))
    assert not InternalComment.objects.exists()


def test_the_student_never_sees_internal_comments(client, dri, student):
    application = submitted(student)
    internal_comment_add(actor=dri, application=application, text=SECRET)
    response = login(client, student).get(
        reverse("applications:application_detail", args=[application.pk])
    )
    assert response.status_code == 200
    assert SECRET not in response.content.decode()
    assert "Internal comments" not in response.content.decode()


def test_the_same_comment_sent_twice_is_kept_once(client, dri, student):
    """A double click on Add, or the page sent again with the back button, used to post the
    comment twice."""
    application = submitted(student)
    for _ in range(2):
        response = post_as(client, dri, comment_url(application), {"comment-text": SECRET})
        assert response.url == dossier_url(application)
    assert InternalComment.objects.filter(application=application).count() == 1
    internal_comment_add(actor=dri, application=application, text="Registrar says fine.")
    internal_comment_add(actor=dri, application=application, text=SECRET)
    assert InternalComment.objects.filter(application=application).count() == 3
