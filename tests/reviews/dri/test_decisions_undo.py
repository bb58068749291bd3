"""The office takes back a wrong click: a nomination the host has not answered, a recorded
departure, a recorded return. Without it, a misclick was there for good, the student told."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.applications.errors import ServiceError
from apps.applications.models import (
    Activity,
    ApplicationState,
    CoursePlan,
    CoursePlanStatus,
    DocumentKind,
    Transition,
)
from apps.applications.selectors import stay_still_wanted
from apps.applications.services import document_store
from apps.applications.workflow import (
    ALLOWED_FROM,
    StaleDossier,
    as_seen,
    last_transition_id,
)
from apps.notifications.events import (
    APPLICATION_DECISION,
    APPLICATION_SUBMITTED,
    CREDITS_TO_RECOGNISE,
    RETURN_RECORDED,
    announce_credits_to_recognise,
)
from apps.notifications.models import DeliveryStatus, Notification
from apps.notifications.rendering import render_message
from apps.programmes.models import AgreementKind
from apps.reviews.exports.learning_agreement import _host_signatures
from apps.reviews.services.decisions import (
    application_mark_departed,
    application_mark_returned,
    application_nominate,
    application_record_host_decision,
    application_take_for_review,
)
from apps.reviews.services.seats import seat_counts
from apps.reviews.services.undo import (
    application_undo,
    application_undo_departure,
    application_undo_nomination,
)
from tests.applications.factories import (
    PDF_BYTES,
    ChoiceFactory,
    CourseLineFactory,
    CoursePlanFactory,
    semester_for,
)
from tests.factories import AgreementFactory
from tests.reviews.dri.builders import nominated, pdf_upload, state_of, submitted

S = ApplicationState
REASON = "Clicked on the wrong dossier."

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def seen_now(application):
    """The application as a dossier page opened now shows it."""
    application.refresh_from_db()
    return as_seen(
        application, state=application.state, transition_id=last_transition_id(application)
    )


def nominate(dri, application, rank=1):
    return application_nominate(
        actor=dri, application=application, choice=application.choices.get(rank=rank)
    )


def with_second_choice(application):
    """A second choice for the same stay, at another partner: nominated there, the stay moves."""
    first = application.choices.get(rank=1)
    ChoiceFactory(
        application=application,
        rank=2,
        activity=first.activity,
        agreement=AgreementFactory(kind=AgreementKind.EXCHANGE),
    )
    return application


def told(student, transition):
    return Notification.objects.get(
        event=APPLICATION_DECISION.name, recipient=student, key__contains=f":{transition.pk}:"
    )


# --- the workflow's table --------------------------------------------------------------------


def test_no_ordinary_move_goes_backwards():
    """The undo table is not the workflow's: nothing but `move_undoing` takes its moves."""
    for back_to, came_from in [
        (S.SUBMITTED, S.NOMINATED),
        (S.UNDER_REVIEW, S.NOMINATED),
        (S.ACCEPTED, S.IN_MOBILITY),
        (S.IN_MOBILITY, S.RETURNED),
    ]:
        assert came_from not in ALLOWED_FROM[back_to]


# --- a nomination ----------------------------------------------------------------------------


def test_a_nomination_undone_goes_back_to_submitted_and_frees_the_seat(dri, student):
    application = nominate(dri, submitted(student))
    agreement = application.nominated_choice.agreement
    taken = seat_counts(application.call, [agreement.pk])[agreement.pk].available
    nomination = application.history.last()
    Notification.objects.all().delete()

    application = application_undo_nomination(
        actor=dri, application=seen_now(application), reason=f"  {REASON}  "
    )

    application.refresh_from_db()
    assert (application.state, application.nominated_choice) == (S.SUBMITTED, None)
    assert seat_counts(application.call, [agreement.pk])[agreement.pk].available == taken + 1
    undo = application.history.last()
    assert (undo.actor, undo.from_state, undo.to_state, undo.comment, undo.undoes) == (
        dri,
        S.NOMINATED,
        S.SUBMITTED,
        REASON,
        nomination,
    )
    text = render_message(told(student, undo), "en").text
    assert "took back a step recorded by mistake" in text and "(nominated)" in text
    assert "it is submitted again" in text and REASON in text
    # The office did it: no "new application" for it.
    assert not Notification.objects.filter(event=APPLICATION_SUBMITTED.name).exists()


def test_a_nomination_undone_goes_back_under_review(dri, student):
    application = application_take_for_review(actor=dri, application=submitted(student))
    application = nominate(dri, application)
    application_undo(actor=dri, application=seen_now(application), reason=REASON)
    assert state_of(application) == S.UNDER_REVIEW


def test_the_stay_goes_back_to_the_host_it_named_with_its_course_plan(dri, student):
    application = with_second_choice(submitted(student))
    activity = application.choices.get(rank=1).activity
    before = (activity.partner_id, activity.host_name, activity.country)
    first_version = activity.course_plans.get()
    CourseLineFactory(course_plan=first_version, code="HOME1")
    application = nominate(dri, application, rank=2)
    activity.refresh_from_db()
    assert activity.partner_id == application.nominated_choice.agreement.partner_id

    application_undo_nomination(actor=dri, application=seen_now(application), reason=REASON)

    activity.refresh_from_db()
    assert (activity.partner_id, activity.host_name, activity.country) == before
    latest = activity.course_plans.order_by("-version").first()
    assert latest.is_for_host_of(activity)
    assert list(latest.lines.values_list("code", flat=True)) == ["HOME1"]


def test_back_to_the_hosts_refusal_with_the_refused_choice(dri, student):
    application = with_second_choice(submitted(student))
    application = nominate(dri, application, rank=1)
    application = application_record_host_decision(
        actor=dri, application=application, accepted=False, letter=pdf_upload()
    )
    refused = application.nominated_choice
    activity = refused.activity
    activity.refresh_from_db()
    at_refused_host = activity.partner_id
    application = nominate(dri, application, rank=2)

    application_undo(actor=dri, application=seen_now(application), reason=REASON)

    application.refresh_from_db()
    activity.refresh_from_db()
    assert (application.state, application.nominated_choice) == (S.HOST_REFUSED, refused)
    assert activity.partner_id == at_refused_host


def test_the_learning_agreement_forgets_the_nomination_undone(dri, student):
    application = nominate(dri, submitted(student))
    assert _host_signatures(application)[0] is not None
    application_undo(actor=dri, application=seen_now(application), reason=REASON)
    assert _host_signatures(application) == (None, None)


def test_the_other_stays_course_plans_are_before_the_advisor_again(dri, student):
    """Nominated to one stay, the course plans of the others left the advisor's queue; undone,
    they are wanted again: one the student wrote meanwhile is sent, as a submission sends it."""
    application = submitted(student)
    other = semester_for(student, start=application.choices.get().activity.end + timedelta(1))
    ChoiceFactory(application=application, rank=2, activity=other)
    application = nominate(dri, application, rank=1)
    assert not stay_still_wanted(other)
    written_meanwhile = CoursePlanFactory(activity=other, version=1)
    CourseLineFactory(course_plan=written_meanwhile)

    application_undo(actor=dri, application=seen_now(application), reason=REASON)

    written_meanwhile.refresh_from_db()
    assert stay_still_wanted(other)
    assert written_meanwhile.status == CoursePlanStatus.PENDING


def test_not_once_the_host_answered(dri, student, english):
    application = nominate(dri, submitted(student))
    application = application_record_host_decision(
        actor=dri, application=application, accepted=True, letter=pdf_upload()
    )
    with pytest.raises(ServiceError, match="no nomination, departure or return to undo"):
        application_undo(actor=dri, application=seen_now(application), reason=REASON)
    assert state_of(application) == S.ACCEPTED


def test_not_a_nomination_recorded_before_undos_existed(dri, student, english):
    application = nominated(student)  # set directly, as older nominations were: nothing kept
    Transition.objects.create(
        application=application, actor=dri, from_state=S.SUBMITTED, to_state=S.NOMINATED
    )
    with pytest.raises(ServiceError, match="recorded before nominations could be undone"):
        application_undo(actor=dri, application=seen_now(application), reason=REASON)
    assert state_of(application) == S.NOMINATED


def test_not_once_the_stay_changed_since(dri, student, english):
    application = nominate(dri, submitted(student))
    Activity.objects.filter(pk=application.nominated_choice.activity_id).update(country="IT")
    with pytest.raises(ServiceError, match="stay has changed since the nomination"):
        application_undo(actor=dri, application=seen_now(application), reason=REASON)
    assert state_of(application) == S.NOMINATED


# --- a departure, a return ---------------------------------------------------------------------


def departed(dri, student):
    application = nominate(dri, submitted(student))
    application = application_record_host_decision(
        actor=dri, application=application, accepted=True, letter=pdf_upload()
    )
    return application_mark_departed(actor=dri, application=application)


def returned(dri, student):
    return application_mark_returned(actor=dri, application=departed(dri, student))


def transcript(application):
    document_store(
        application=application,
        kind=DocumentKind.HOST_TRANSCRIPT,
        upload=SimpleUploadedFile("transcript.pdf", PDF_BYTES, content_type="application/pdf"),
        actor=application.student,
    )


def test_a_departure_undone_is_accepted_again(dri, student):
    application = departed(dri, student)
    departure = application.history.last()
    application_undo_departure(actor=dri, application=seen_now(application), reason=REASON)
    assert state_of(application) == S.ACCEPTED
    undo = application.history.last()
    assert (undo.from_state, undo.to_state, undo.undoes) == (S.IN_MOBILITY, S.ACCEPTED, departure)
    assert (
        "(in mobility): it is accepted by the host again"
        in render_message(told(student, undo), "en").text
    )


def test_not_a_departure_once_the_student_sent_their_transcript(dri, student, english):
    application = departed(dri, student)
    transcript(application)
    with pytest.raises(ServiceError, match="uploaded the host's transcript"):
        application_undo(actor=dri, application=seen_now(application), reason=REASON)
    assert state_of(application) == S.IN_MOBILITY


def test_a_return_undone_is_in_mobility_again_and_its_pending_asks_withdrawn(dri, student):
    application = returned(dri, student)
    the_return = application.history.last()
    asked_for_transcript = Notification.objects.filter(
        event=RETURN_RECORDED.name, key__contains=f":transition:{the_return.pk}:"
    )
    assert asked_for_transcript.exists()
    course_plan = CoursePlan.objects.filter(
        activity_id=application.nominated_choice.activity_id
    ).first()
    announce_credits_to_recognise(course_plan)
    recognition = Notification.objects.filter(event=CREDITS_TO_RECOGNISE.name)
    assert recognition.exists()

    application_undo(actor=dri, application=seen_now(application), reason=REASON)

    assert state_of(application) == S.IN_MOBILITY
    assert application.history.last().undoes == the_return
    assert not asked_for_transcript.exists() and not recognition.exists()


def test_a_return_undone_once_its_notice_went_asks_the_student_nothing_more(dri, student):
    """The notice of the return was e-mailed already: it stays in the student's list, no
    longer asking for the transcript of a mobility that goes on."""
    application = returned(dri, student)
    the_return = application.history.last()
    asked_for_transcript = Notification.objects.filter(
        event=RETURN_RECORDED.name, key__contains=f":transition:{the_return.pk}:"
    )
    asked_for_transcript.update(status=DeliveryStatus.SENT)

    application_undo(actor=dri, application=seen_now(application), reason=REASON)

    assert asked_for_transcript.get().settled_at is not None


def test_not_a_return_once_the_advisor_was_asked_to_recognise(dri, student, english):
    application = returned(dri, student)
    course_plan = CoursePlan.objects.filter(
        activity_id=application.nominated_choice.activity_id
    ).first()
    announce_credits_to_recognise(course_plan)
    Notification.objects.filter(event=CREDITS_TO_RECOGNISE.name).update(status=DeliveryStatus.SENT)
    with pytest.raises(ServiceError, match="already been asked to recognise"):
        application_undo(actor=dri, application=seen_now(application), reason=REASON)
    assert state_of(application) == S.RETURNED
    assert Notification.objects.filter(event=CREDITS_TO_RECOGNISE.name).exists()


def test_not_a_return_once_the_transcript_came_since(dri, student, english):
    application = returned(dri, student)
    transcript(application)
    with pytest.raises(ServiceError, match="uploaded the host's transcript"):
        application_undo(actor=dri, application=seen_now(application), reason=REASON)
    assert state_of(application) == S.RETURNED


def test_a_transcript_sent_during_the_mobility_does_not_stand_in_the_way(dri, student):
    application = departed(dri, student)
    transcript(application)
    application = application_mark_returned(actor=dri, application=application)
    application_undo(actor=dri, application=seen_now(application), reason=REASON)
    assert state_of(application) == S.IN_MOBILITY


def test_not_a_return_once_credits_are_entered(dri, student, english):
    application = returned(dri, student)
    course_plan = CoursePlan.objects.filter(
        activity_id=application.nominated_choice.activity_id
    ).first()
    CourseLineFactory(course_plan=course_plan, ects_obtained=6)
    with pytest.raises(ServiceError, match="entered the credits they obtained"):
        application_undo(actor=dri, application=seen_now(application), reason=REASON)
    assert state_of(application) == S.RETURNED


def test_a_return_then_its_departure_undone_one_after_the_other(dri, student):
    application = returned(dri, student)
    application_undo(actor=dri, application=seen_now(application), reason=REASON)
    application_undo(actor=dri, application=seen_now(application), reason=REASON)
    assert state_of(application) == S.ACCEPTED
    # Nothing more to take back: the acceptance is the host's, not a click of the office.
    with pytest.raises(ServiceError):
        application_undo(actor=dri, application=seen_now(application), reason=REASON)


def test_nominated_again_after_an_undo_and_undone_again(dri, student):
    application = nominate(dri, submitted(student))
    application_undo(actor=dri, application=seen_now(application), reason=REASON)
    application = nominate(dri, seen_now(application))
    application_undo(actor=dri, application=seen_now(application), reason=REASON)
    assert state_of(application) == S.SUBMITTED
    assert application.history.filter(undoes__isnull=False).count() == 2
    # An undo itself is not undone: the office nominates again.
    with pytest.raises(ServiceError):
        application_undo(actor=dri, application=seen_now(application), reason=REASON)


# --- guards -----------------------------------------------------------------------------------


def test_a_reason_is_required(dri, student, english):
    application = nominate(dri, submitted(student))
    with pytest.raises(ServiceError, match="the student reads it"):
        application_undo(actor=dri, application=seen_now(application), reason="  ")
    assert state_of(application) == S.NOMINATED


@pytest.mark.parametrize("persona", ["student", "advisor", "dfi"])
def test_only_the_office_undoes(request, dri, student, persona, english):
    application = nominate(dri, submitted(student))
    with pytest.raises(ServiceError, match="Only the international relations office"):
        application_undo(
            actor=request.getfixturevalue(persona),
            application=seen_now(application),
            reason=REASON,
        )
    assert state_of(application) == S.NOMINATED


def test_a_stale_page_is_refused(dri, student):
    application = departed(dri, student)
    stale = seen_now(application)
    application_mark_returned(actor=dri, application=seen_now(application))
    with pytest.raises(StaleDossier):
        application_undo(actor=dri, application=stale, reason=REASON)
    assert state_of(application) == S.RETURNED


def test_sent_twice_it_undoes_once(dri, student):
    application = returned(dri, student)
    page = seen_now(application)
    application_undo(actor=dri, application=page, reason=REASON)
    with pytest.raises(StaleDossier):
        application_undo(actor=dri, application=page, reason=REASON)
    assert state_of(application) == S.IN_MOBILITY
    assert application.history.filter(undoes__isnull=False).count() == 1
