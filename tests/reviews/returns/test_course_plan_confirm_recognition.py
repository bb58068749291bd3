"""The advisor confirms the recognition of the credits obtained: the dossier is completed."""

import pytest
from django.urls import reverse

from apps.applications import services
from apps.applications.errors import ServiceError
from apps.applications.models import (
    Activity,
    ApplicationState,
    CourseLine,
    CoursePlan,
    CoursePlanStatus,
    Transition,
)
from apps.reviews.services.returns import course_plan_confirm_recognition
from tests.applications.factories import login, messages_of
from tests.reviews.advisor.builders import (
    approve_all,
    dossier_abroad,
    record_all,
    sent_course_plan,
    with_transcript,
)

RECOGNITION_MAX_QUERIES = 9


def recognition_url(course_plan):
    return reverse("reviews:return_recognition", args=[course_plan.pk])


def ready(student, advisor, state=ApplicationState.RETURNED):
    """A dossier back from mobility, transcript uploaded, 4 of 6 ECTS obtained per course."""
    application, course_plan = dossier_abroad(student, advisor, state=state)
    with_transcript(application)
    record_all(course_plan, obtained=4)
    return application, course_plan


def test_confirmation_completes_the_dossier(student, advisor):
    application, course_plan = ready(student, advisor)
    course_plan_confirm_recognition(actor=advisor, course_plan=course_plan)
    course_plan.refresh_from_db()
    application.refresh_from_db()
    assert course_plan.recognition_confirmed_by == advisor
    assert course_plan.recognition_confirmed_at is not None
    assert application.state == ApplicationState.COMPLETED
    last = Transition.objects.filter(application=application).last()
    assert (last.actor, last.from_state, last.to_state) == (
        advisor,
        ApplicationState.RETURNED,
        ApplicationState.COMPLETED,
    )


def test_still_in_mobility_is_refused_with_the_reason(student, advisor):
    application, course_plan = ready(student, advisor, state=ApplicationState.IN_MOBILITY)
    with pytest.raises(ServiceError, match="still in mobility"):
        course_plan_confirm_recognition(actor=advisor, course_plan=course_plan)
    application.refresh_from_db()
    assert application.state == ApplicationState.IN_MOBILITY


def test_transcript_and_credits_are_required(student, advisor):
    application, course_plan = dossier_abroad(student, advisor)
    CourseLine.objects.filter(pk=course_plan.lines.first().pk).update(ects_obtained=6)
    with pytest.raises(ServiceError) as refused:
        course_plan_confirm_recognition(actor=advisor, course_plan=course_plan)
    missing = course_plan.lines.order_by("pk").last().code
    assert refused.value.reasons == [
        "The host's transcript of records is not uploaded yet.",
        f"The ECTS obtained are not entered yet for: {missing}.",
    ]
    course_plan.refresh_from_db()
    assert course_plan.recognition_confirmed_at is None


@pytest.mark.parametrize("who", ["other_advisor", "student", "dfi", "dri", "admin_user"])
def test_only_the_students_advisor_confirms(request, student, advisor, who):
    application, course_plan = ready(student, advisor)
    with pytest.raises(ServiceError):
        course_plan_confirm_recognition(actor=request.getfixturevalue(who), course_plan=course_plan)
    application.refresh_from_db()
    assert application.state == ApplicationState.RETURNED


def test_twice_is_refused(student, advisor):
    _application, course_plan = ready(student, advisor)
    course_plan_confirm_recognition(actor=advisor, course_plan=course_plan)
    with pytest.raises(ServiceError, match="already confirmed"):
        course_plan_confirm_recognition(actor=advisor, course_plan=course_plan)


def test_a_course_plan_not_approved_is_refused(student, advisor):
    _application, course_plan = ready(student, advisor)
    course_plan.status = CoursePlanStatus.CHANGES_REQUESTED
    course_plan.save()
    with pytest.raises(ServiceError, match="Only an approved course plan"):
        course_plan_confirm_recognition(actor=advisor, course_plan=course_plan)


def test_an_older_approved_version_is_refused(student, advisor):
    _application, course_plan = ready(student, advisor)
    newer = approve_all(
        sent_course_plan(student, activity=course_plan.activity, version=2), advisor
    )
    with pytest.raises(ServiceError, match="Version 2 is the latest approved one"):
        course_plan_confirm_recognition(actor=advisor, course_plan=course_plan)
    assert newer.recognition_confirmed_at is None


def test_a_newer_version_awaiting_the_advisor_is_decided_first(student, advisor):
    """The student sent a new version after coming back: confirming the recognition of the
    approved one would close the dossier with that version still open, and deciding it then
    would make it the approved version of a completed dossier, never recognised."""
    application, course_plan = ready(student, advisor)
    newer = sent_course_plan(student, activity=course_plan.activity, version=2)
    with pytest.raises(ServiceError, match="Version 2 of the course plan is"):
        course_plan_confirm_recognition(actor=advisor, course_plan=course_plan)
    application.refresh_from_db()
    course_plan.refresh_from_db()
    assert application.state == ApplicationState.RETURNED
    assert course_plan.recognition_confirmed_at is None
    # Once the advisor decided on it, the recognition goes ahead on the latest approved one.
    approve_all(newer, advisor)
    record_all(newer, obtained=4)
    course_plan_confirm_recognition(actor=advisor, course_plan=newer)
    application.refresh_from_db()
    assert application.state == ApplicationState.COMPLETED


@pytest.mark.parametrize("status", [CoursePlanStatus.PENDING, CoursePlanStatus.CHANGES_REQUESTED])
def test_a_later_version_not_approved_is_decided_first(student, advisor, status):
    """The student changed courses abroad: the credits are not recognised on the old ones."""
    application, course_plan = ready(student, advisor)
    sent_course_plan(student, activity=course_plan.activity, version=2, status=status)
    with pytest.raises(ServiceError, match="Version 2 of the course plan is"):
        course_plan_confirm_recognition(actor=advisor, course_plan=course_plan)
    application.refresh_from_db()
    assert application.state == ApplicationState.RETURNED


def test_the_page_says_a_change_of_courses_awaits_the_advisor_before_any_confirmation(
    client, student, advisor
):
    """Every credit entered and the transcript uploaded, but the student sent a change of
    courses since: the page says it must be decided first rather than offering a confirmation
    the service refuses."""
    _application, course_plan = ready(student, advisor)
    sent_course_plan(student, activity=course_plan.activity, version=2)
    page = login(client, advisor).get(recognition_url(course_plan)).content.decode()
    assert (
        "Version 2 of the course plan is awaiting the advisor: it must be approved before the "
        "credits are recognised."
    ) in page
    assert "Confirm the recognition and complete the dossier" not in page


def test_a_stay_the_student_never_left_for_is_refused(student, advisor):
    _application, course_plan = ready(student, advisor, state=ApplicationState.ACCEPTED)
    with pytest.raises(ServiceError, match="has not left"):
        course_plan_confirm_recognition(actor=advisor, course_plan=course_plan)


def test_page_shows_missing_credits_and_the_transcript(client, student, advisor):
    application, course_plan = ready(student, advisor)
    response = login(client, advisor).get(recognition_url(course_plan))
    assert response.status_code == 200
    credits = response.context["credits"]
    assert (credits.planned, credits.obtained, credits.missing) == (12, 8, 4)
    assert response.context["application"] == application
    content = response.content.decode()
    transcript = application.documents.get()
    assert reverse("applications:document_download", args=[transcript.pk]) in content
    assert "Confirm the recognition and complete the dossier" in content


def test_advisor_confirms_from_the_page(client, student, advisor):
    application, course_plan = ready(student, advisor)
    response = login(client, advisor).post(recognition_url(course_plan), {"confirm": "on"})
    assert response.url == recognition_url(course_plan)
    assert messages_of(response) == ["Recognition confirmed: the student's dossier is completed."]
    application.refresh_from_db()
    assert application.state == ApplicationState.COMPLETED
    assert "Recognition confirmed by" in client.get(response.url).content.decode()


def test_confirming_twice_from_the_page_says_it_is_confirmed_not_refused(client, student, advisor):
    """A double click: the second confirmation does not read "not confirmed" beside the first
    one's success."""
    application, course_plan = ready(student, advisor)
    login(client, advisor)
    seen = {
        "confirm": "on",
        "seen_credits": client.get(recognition_url(course_plan)).context["seen_credits"],
    }
    client.post(recognition_url(course_plan), seen)
    again = client.post(recognition_url(course_plan), seen)
    assert messages_of(again) == [
        "Recognition confirmed: the student's dossier is completed.",
        "The recognition of these credits is already confirmed.",
    ]
    assert Transition.objects.filter(application=application, to_state="completed").count() == 1


def test_credits_changed_since_the_page_are_checked_again(client, student, advisor):
    """The advisor checked 4 ECTS per course against the transcript; the student then entered
    6: the confirmation from the page they checked is refused, nothing is recognised."""
    application, course_plan = ready(student, advisor)
    page = login(client, advisor).get(recognition_url(course_plan))
    seen = {"confirm": "on", "seen_credits": page.context["seen_credits"]}
    assert f'name="seen_credits" value="{seen["seen_credits"]}"' in page.content.decode()
    record_all(course_plan, obtained=6)
    response = client.post(recognition_url(course_plan), seen)
    assert messages_of(response) == [
        "The recognition is not confirmed:",
        "The student changed the credits obtained or the transcript since you opened the "
        "page: check them again, then confirm.",
    ]
    application.refresh_from_db()
    assert application.state == ApplicationState.RETURNED
    # A new transcript is a change too; from the page as it now stands, the advisor confirms.
    fresh = client.get(recognition_url(course_plan)).context["seen_credits"]
    application.documents.all().delete()
    with_transcript(application)
    client.post(recognition_url(course_plan), {"confirm": "on", "seen_credits": fresh})
    application.refresh_from_db()
    assert application.state == ApplicationState.RETURNED
    fresh = client.get(recognition_url(course_plan)).context["seen_credits"]
    client.post(recognition_url(course_plan), {"confirm": "on", "seen_credits": fresh})
    application.refresh_from_db()
    assert application.state == ApplicationState.COMPLETED


def test_a_refusal_is_explained_on_the_page(client, student, advisor):
    application, course_plan = ready(student, advisor, state=ApplicationState.IN_MOBILITY)
    response = login(client, advisor).post(recognition_url(course_plan), {"confirm": "on"})
    assert messages_of(response) == [
        "The recognition is not confirmed:",
        "The student is still in mobility: the international relations office records their "
        "return first.",
    ]
    application.refresh_from_db()
    assert application.state == ApplicationState.IN_MOBILITY


def test_confirming_needs_the_box_ticked(client, student, advisor):
    application, course_plan = ready(student, advisor)
    page = login(client, advisor).get(recognition_url(course_plan)).content.decode()
    assert 'name="confirm" id="confirm-recognition" required' in page
    response = client.post(recognition_url(course_plan))
    assert messages_of(response) == ["Tick the box to confirm: the recognition cannot be undone."]
    application.refresh_from_db()
    assert application.state == ApplicationState.RETURNED


def test_no_confirm_button_until_the_course_plan_is_approved(client, student, advisor):
    _application, course_plan = ready(student, advisor)
    CoursePlan.objects.filter(pk=course_plan.pk).update(status=CoursePlanStatus.CHANGES_REQUESTED)
    page = login(client, advisor).get(recognition_url(course_plan)).content.decode()
    assert "Confirm the recognition and complete the dossier" not in page
    assert "Only an approved course plan can be recognised" in page


def test_another_advisor_finds_nothing(client, student, advisor, other_advisor):
    application, course_plan = ready(student, advisor)
    login(client, other_advisor)
    assert client.get(recognition_url(course_plan)).status_code == 404
    assert client.post(recognition_url(course_plan)).status_code == 404
    application.refresh_from_db()
    assert application.state == ApplicationState.RETURNED


@pytest.mark.parametrize("who", ["student", "dfi", "dri"])
def test_students_and_staff_are_forbidden(client, request, student, advisor, who):
    application, course_plan = ready(student, advisor)
    login(client, request.getfixturevalue(who))
    assert client.get(recognition_url(course_plan)).status_code == 403
    assert client.post(recognition_url(course_plan)).status_code == 403
    application.refresh_from_db()
    assert application.state == ApplicationState.RETURNED


def test_anonymous_is_sent_to_login(client, student, advisor):
    _application, course_plan = ready(student, advisor)
    assert client.get(recognition_url(course_plan)).url.startswith(reverse("login"))


def test_page_queries_stay_flat(client, student, advisor, django_assert_max_num_queries):
    _application, course_plan = dossier_abroad(student, advisor, lines=40)
    record_all(course_plan, obtained=5)
    login(client, advisor)
    with django_assert_max_num_queries(RECOGNITION_MAX_QUERIES):
        response = client.get(recognition_url(course_plan))
    assert response.context["credits"].missing == 40


def moved_to_another_host(course_plan: CoursePlan) -> None:
    """A nomination to another choice of the stay moved it to Aalto, where no course plan is
    approved: the version approved at the first host stays behind (applications.services)."""
    activity = course_plan.activity
    Activity.objects.filter(pk=activity.pk).update(host_name="Aalto University", country="FI")
    activity.refresh_from_db()
    services.course_plan_follow_host(activity)


def test_a_version_of_the_host_the_stay_left_is_refused_with_the_reason(student, advisor):
    application, course_plan = ready(student, advisor)
    first_host = course_plan.host_display
    moved_to_another_host(course_plan)
    with pytest.raises(ServiceError) as refused:
        course_plan_confirm_recognition(actor=advisor, course_plan=course_plan)
    assert refused.value.reasons == [
        f"Version 1 lists courses at {first_host}, and the stay is now at Aalto University: "
        "the credits are recognised against a course plan approved for Aalto University."
    ]
    application.refresh_from_db()
    assert application.state == ApplicationState.RETURNED


def test_the_page_of_a_version_not_to_recognise_says_why_instead_of_a_form(
    client, student, advisor
):
    _application, course_plan = ready(student, advisor)
    newer = approve_all(
        sent_course_plan(student, activity=course_plan.activity, version=2), advisor
    )
    record_all(newer, obtained=4)  # else the page says they are awaited, not the form
    page = login(client, advisor).get(recognition_url(course_plan)).content.decode()
    assert "Version 2 is the latest approved one: recognise that one." in page
    assert "Confirm the recognition and complete the dossier" not in page
    assert "Confirm the recognition and complete the dossier" in (
        client.get(recognition_url(newer)).content.decode()
    )
    moved_to_another_host(newer)
    page = client.get(recognition_url(newer)).content.decode()
    assert "and the stay is now at Aalto University" in page
    assert "Confirm the recognition and complete the dossier" not in page


def test_while_the_student_is_abroad_the_page_says_so_instead_of_the_form(client, student, advisor):
    _application, course_plan = ready(student, advisor, state=ApplicationState.IN_MOBILITY)
    page = login(client, advisor).get(recognition_url(course_plan)).content.decode()
    assert (
        "The student is still in mobility: the international relations office records their "
        "return first."
    ) in page
    assert 'name="confirm"' not in page


def test_the_page_says_what_the_student_has_still_to_send_instead_of_the_form(
    client, student, advisor
):
    """Back without a transcript, a course's credits not entered: the page offered the form,
    which the service refused once ticked and sent; it says what is awaited instead."""
    _application, course_plan = dossier_abroad(student, advisor)
    first = course_plan.lines.order_by("pk").first()
    CourseLine.objects.filter(pk=first.pk).update(ects_obtained=6)
    page = login(client, advisor).get(recognition_url(course_plan)).content.decode()
    assert "Confirm the recognition and complete the dossier" not in page
    assert "The host&#x27;s transcript of records is not uploaded yet." in page
    second = course_plan.lines.order_by("pk").last()
    assert f"The ECTS obtained are not entered yet for: {second.code}." in page
