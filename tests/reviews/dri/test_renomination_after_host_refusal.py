"""After a host refuses the student, the office may nominate them to another of their choices,
seats permitting; never again to the host that refused."""

import pytest
from django.urls import reverse

from apps.applications import services
from apps.applications.errors import ServiceError
from apps.applications.models import Activity, ApplicationState, Choice, Document, DocumentKind
from apps.notifications.models import Notification
from apps.reviews.exports.learning_agreement import _host_signatures
from apps.reviews.forms_dri import NominateForm
from apps.reviews.services.decisions import (
    application_nominate,
    application_record_host_decision,
)
from tests.applications.factories import (
    ChoiceFactory,
    complete_application,
    login,
    messages_of,
)
from tests.factories import AgreementFactory
from tests.reviews.dri.builders import (
    decision_url,
    dossier_url,
    pdf_upload,
    post_as,
    seen,
    state_of,
    submitted,
)

S = ApplicationState


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def refused_by_host(dri, student):
    """Nominated to the first choice through the decisions, then refused by that host; a
    second choice is still open."""
    application = submitted(student)
    ChoiceFactory(application=application, rank=2)
    first = application.choices.get(rank=1)
    application = application_nominate(actor=dri, application=application, choice=first)
    return application_record_host_decision(
        actor=dri, application=application, accepted=False, letter=pdf_upload()
    )


def test_the_office_nominates_to_another_choice(dri, refused_by_host):
    second = refused_by_host.choices.get(rank=2)
    application = application_nominate(actor=dri, application=refused_by_host, choice=second)
    assert (application.state, application.nominated_choice) == (S.NOMINATED, second)
    assert list(application.history.values_list("from_state", "to_state")) == [
        (S.DRAFT, S.SUBMITTED),
        (S.SUBMITTED, S.NOMINATED),
        (S.NOMINATED, S.HOST_REFUSED),
        (S.HOST_REFUSED, S.NOMINATED),
    ]
    renominated = application.history.last()
    told = Notification.objects.filter(recipient=application.student)
    assert told.filter(key__contains=f":transition:{renominated.pk}:").count() == 1


def test_never_again_to_the_host_that_refused(dri, refused_by_host, english):
    first = refused_by_host.choices.get(rank=1)
    with pytest.raises(ServiceError, match="This host refused the student"):
        application_nominate(actor=dri, application=refused_by_host, choice=first)
    assert state_of(refused_by_host) == S.HOST_REFUSED


def test_the_other_destination_needs_a_seat(dri, refused_by_host, other_student, english):
    full = AgreementFactory(seats_per_year=1)
    second = refused_by_host.choices.get(rank=2)
    second.agreement = full
    second.activity.partner = full.partner
    second.activity.save()
    second.save()
    rival = submitted(other_student, call=refused_by_host.call)  # the same academic year
    rival_choice = ChoiceFactory(application=rival, rank=2, agreement=full)
    application_nominate(actor=dri, application=rival, choice=rival_choice)
    with pytest.raises(ServiceError, match="no seat left"):
        application_nominate(actor=dri, application=refused_by_host, choice=second)
    assert state_of(refused_by_host) == S.HOST_REFUSED


def test_the_dossier_offers_only_the_other_choices(client, dri, refused_by_host):
    response = login(client, dri).get(dossier_url(refused_by_host))
    form = response.context["decisions"]["nominate"]
    offered = list(form.fields["choice"].queryset)
    assert offered == [refused_by_host.choices.get(rank=2)]
    assert "Nominate the student to another destination" in response.content.decode()


def test_the_decision_through_the_page(client, dri, refused_by_host):
    second = refused_by_host.choices.get(rank=2)
    response = post_as(
        client,
        dri,
        decision_url("nominate", refused_by_host),
        seen(refused_by_host, "nominate", choice=second.pk, comment=""),
    )
    assert response.status_code == 302
    assert state_of(refused_by_host) == S.NOMINATED
    assert messages_of(response)


def test_the_refused_host_cannot_be_posted_either(client, dri, refused_by_host):
    first = refused_by_host.choices.get(rank=1)
    response = post_as(
        client,
        dri,
        decision_url("nominate", refused_by_host),
        seen(refused_by_host, "nominate", choice=first.pk, comment=""),
    )
    # The form offers only the other choices: the refused one is not a valid answer.
    assert response.status_code == 400
    assert response.context["decisions"]["nominate"].errors["choice"]
    assert state_of(refused_by_host) == S.HOST_REFUSED


def test_the_learning_agreement_is_signed_by_the_new_nomination_only(dri, refused_by_host):
    second = refused_by_host.choices.get(rank=2)
    application = application_nominate(actor=dri, application=refused_by_host, choice=second)
    nomination, acceptance = _host_signatures(application)
    assert nomination.at == application.history.last().at
    assert acceptance is None


def refuse(dri, application):
    return application_record_host_decision(
        actor=dri, application=application, accepted=False, letter=pdf_upload()
    )


def test_every_host_that_refused_is_remembered(dri, refused_by_host, english):
    """A refused, then B refused: only C may still take the student."""
    third = ChoiceFactory(application=refused_by_host, rank=3)
    first, second = (refused_by_host.choices.get(rank=rank) for rank in (1, 2))
    application = application_nominate(actor=dri, application=refused_by_host, choice=second)
    application = refuse(dri, application)
    assert first.__class__.objects.filter(host_refused_at__isnull=False).count() == 2
    offered = NominateForm(application=application).fields["choice"].queryset
    assert list(offered) == [third]
    with pytest.raises(ServiceError, match="This host refused the student"):
        application_nominate(actor=dri, application=application, choice=first)
    assert application_nominate(actor=dri, application=application, choice=third).state == (
        S.NOMINATED
    )


def test_a_student_refused_by_their_host_may_withdraw(client, student, refused_by_host, english):
    """They hold no seat: withdrawing gives none up, and the office is not told of one."""
    from apps.applications import services

    page = login(client, student).get(
        reverse("applications:application_withdraw", args=[refused_by_host.pk])
    )
    assert page.status_code == 200
    assert "gives up your seat" not in page.content.decode()
    services.application_withdraw(actor=student, application=refused_by_host)
    assert state_of(refused_by_host) == S.WITHDRAWN
    assert not Notification.objects.filter(event="seat_given_up").exists()


def test_every_hosts_letter_stays_in_the_dossier(client, dri, refused_by_host):
    """The first host's refusal letter is not replaced by the second host's answer."""
    second = refused_by_host.choices.get(rank=2)
    application = application_nominate(actor=dri, application=refused_by_host, choice=second)
    application_record_host_decision(
        actor=dri, application=application, accepted=True, letter=pdf_upload("acceptance.pdf")
    )
    letters = Document.objects.filter(application=application, kind=DocumentKind.HOST_LETTER)
    assert [letter.original_name for letter in letters] == ["letter.pdf", "acceptance.pdf"]
    assert all(letter.file.storage.exists(letter.file.name) for letter in letters)
    page = login(client, dri).get(dossier_url(application)).content.decode()
    for letter in letters:
        assert reverse("applications:document_download", args=[letter.pk]) in page


def test_other_kinds_stay_one_per_application(refused_by_host):
    from django.db import IntegrityError, transaction

    cv = Document.objects.get(application=refused_by_host, kind=DocumentKind.CV)
    with pytest.raises(IntegrityError), transaction.atomic():
        Document.objects.create(
            application=refused_by_host,
            kind=DocumentKind.CV,
            file=cv.file.name,
            original_name="again.pdf",
            size=1,
            uploaded_by=cv.uploaded_by,
        )


def test_no_nomination_form_once_every_host_refused(client, dri, refused_by_host):
    """With no choice left, the form would be a required menu without any option."""
    second = refused_by_host.choices.get(rank=2)
    application = application_nominate(actor=dri, application=refused_by_host, choice=second)
    application = application_record_host_decision(
        actor=dri, application=application, accepted=False, letter=pdf_upload()
    )
    decisions = login(client, dri).get(dossier_url(application)).context["decisions"]
    assert "nominate" not in decisions


def test_back_to_the_host_outside_partnerships_the_student_named(dri, student):
    """The nomination to an agreement moved the plan's activity to that partner; once that host
    refused, the office nominates the student to their own host outside partnerships, the
    second choice for the same activity. The plan names that host again (it went on naming
    the host that refused, in the host's country), and the choice kept its name throughout
    (it was blank, on the dossier's nomination form too)."""
    application = complete_application(student, host_name="University of Toronto", country="CA")
    first = application.choices.get()
    Choice.objects.create(application=application, rank=2, activity=first.activity)
    services.application_submit(actor=student, application=application)
    application.refresh_from_db()
    application = application_nominate(actor=dri, application=application, choice=first)
    outside = application.choices.get(rank=2)
    assert outside.destination == "University of Toronto"
    assert str(NominateForm(application=application).fields["choice"].queryset.get(rank=2)) == (
        "2. University of Toronto"
    )
    application = application_record_host_decision(
        actor=dri, application=application, accepted=False, letter=pdf_upload()
    )

    application = application_nominate(actor=dri, application=application, choice=outside)

    activity = Activity.objects.get(pk=first.activity_id)
    assert (activity.partner, activity.host_name, activity.country) == (
        None,
        "University of Toronto",
        "CA",
    )
    assert application.history.last().comment == "University of Toronto"
