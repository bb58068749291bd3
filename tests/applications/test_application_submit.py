import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from apps.applications import services
from apps.applications.checking import plan_result
from apps.applications.models import ApplicationState, Transition
from apps.reviews.services.decisions import application_request_changes
from tests.applications.factories import (
    ApplicationFactory,
    complete_application,
    draft_with_choice,
    login,
    messages_of,
)
from tests.factories import CallFactory

NOT_SUBMITTED = "Your application is not submitted:"
# One alert that leads to the Submission section, which lists what is missing: the reasons
# were repeated above the page, one red alert each, over the same list in the yellow box.
SEE_SUBMISSION = (
    'Your application is not submitted: see <a class="alert-link" href="#submit-title">'
    "Submission</a>."
)


def submit_url(application):
    return reverse("applications:application_submit", args=[application.pk])


def listed_under_submission(client, application) -> list[str]:
    """What the Submission section's box says is still missing, on the page the refusal leads
    to."""
    page = client.get(reverse("applications:application_detail", args=[application.pk]))
    html = page.content.decode()
    section = html[
        html.index('id="submit-title"') : html.index("</section>", html.index('id="submit-title"'))
    ]
    return re.findall(r"<li>(.*?)</li>", section)


def assert_refused_for(client, application, response, reasons):
    """One alert linking to the Submission section, which lists each reason once."""
    assert messages_of(response) == [SEE_SUBMISSION]
    assert listed_under_submission(client, application) == reasons


def assert_still_draft(application):
    application.refresh_from_db()
    assert application.state == ApplicationState.DRAFT
    assert application.snapshot is None
    assert not Transition.objects.filter(application=application).exists()


def test_complete_application_is_submitted_and_frozen(client, student):
    application = complete_application(student)
    response = login(client, student).post(submit_url(application))
    assert response.url == reverse("applications:application_detail", args=[application.pk])
    assert messages_of(response) == [
        "Your application is submitted. The international relations office will review it."
    ]
    application.refresh_from_db()
    assert application.state == ApplicationState.SUBMITTED
    assert application.submitted_at is not None
    transition = Transition.objects.get(application=application)
    assert (transition.actor, transition.from_state, transition.to_state) == (
        student,
        ApplicationState.DRAFT,
        ApplicationState.SUBMITTED,
    )
    assert application.snapshot["results"]["en"]["compliant"] is True
    assert set(application.snapshot["results"]) == {"fr", "en"}


def test_changing_the_plan_afterwards_leaves_the_snapshot_alone(client, student):
    application = complete_application(student)
    login(client, student).post(submit_url(application))
    application.refresh_from_db()
    frozen = application.snapshot
    activity = application.choices.get().activity
    fields = {name: getattr(activity, name) for name in services.ACTIVITY_FIELDS}
    services.activity_update(actor=student, activity=activity, fields={**fields, "ects": 12})
    application.refresh_from_db()
    assert application.snapshot == frozen
    assert frozen["plan"]["activities"][0]["ects"] == 30


def test_no_choice_is_refused(client, student):
    application = ApplicationFactory(student=student)
    response = login(client, student).post(submit_url(application))
    assert messages_of(response) == [SEE_SUBMISSION]
    assert "Choose at least one destination." in listed_under_submission(client, application)
    assert_still_draft(application)


def test_missing_documents_are_listed(client, student):
    application = draft_with_choice(student)
    response = login(client, student).post(submit_url(application))
    assert_refused_for(
        client,
        application,
        response,
        [
            "Missing document: CV.",
            "Missing document: Latest transcript of records.",
            "Missing document: Language certificate.",
            "Missing document: Draft learning agreement.",
        ],
    )
    assert_still_draft(application)


def test_error_finding_on_a_chosen_activity_is_refused(client, student):
    application = complete_application(student, ects=20)
    plan = application.student.mobility_plan
    with translation.override("en"):
        [finding] = plan_result(plan, plan.activities.all()).errors_for(
            [application.choices.get().activity.engine_id]
        )
    assert finding.rule == "SEMESTER_ECTS"
    response = login(client, student).post(submit_url(application))
    with translation.override("en"):
        stay = str(application.choices.get().activity)
    assert_refused_for(client, application, response, [f"{stay}: {finding.message}"])
    assert_still_draft(application)


def test_an_error_on_another_activity_of_the_plan_is_refused_too(client, student):
    """ "No submission while the plan has an error": an internship overlapping the chosen
    semester carries the OVERLAP error (it starts later), the semester none."""
    from tests.applications.plan_helpers import add_activity

    application = complete_application(student)
    semester = application.choices.get().activity
    internship = add_activity(
        student,
        kind="engineering_internship",
        host_name="Bosch",
        country="DE",
        ects=None,
        start=semester.end - timedelta(days=30),
        end=semester.end + timedelta(days=120),
    )
    plan = application.student.mobility_plan
    with translation.override("en"):
        check = plan_result(plan, plan.activities.all())
    assert check.errors_for([semester.engine_id]) == []
    [overlap] = check.errors_for([internship.engine_id])
    assert overlap.rule == "OVERLAP"
    response = login(client, student).post(submit_url(application))
    # Named by its stay: the student did not choose it for this application.
    with translation.override("en"):
        stay = str(internship)
    assert_refused_for(client, application, response, [f"{stay}: {overlap.message}"])
    assert_still_draft(application)


@pytest.mark.parametrize(
    ("kind", "refusal"),
    [
        ("master", "Choice 1: this agreement is not for a master abroad."),
        ("engineering_internship", "Choice 1: only study stays are applied for through a call."),
    ],
)
def test_a_stay_whose_kind_changed_since_it_was_chosen_is_refused(client, student, kind, refusal):
    """A draft's stay may still change kind; its choice, made under an exchange agreement,
    is then checked again when the application is submitted, as when it was chosen."""
    application = complete_application(student)
    activity = application.choices.get().activity
    fields = {name: getattr(activity, name) for name in services.ACTIVITY_FIELDS}
    extra = {"ects": None} if kind == "engineering_internship" else {}
    services.activity_update(
        actor=student, activity=activity, fields={**fields, "kind": kind, **extra}
    )
    response = login(client, student).post(submit_url(application))
    assert_refused_for(client, application, response, [refusal])
    assert_still_draft(application)


def test_closed_call_is_refused(client, student):
    today = timezone.localdate()
    closed = CallFactory(opens_on=today - timedelta(days=30), closes_on=today - timedelta(days=1))
    application = complete_application(student, call=closed)
    response = login(client, student).post(submit_url(application))
    closes = date_format(closed.closes_on)
    assert_refused_for(client, application, response, [f"The call closed on {closes}."])
    assert_still_draft(application)


def test_a_call_whose_opening_was_moved_later_is_not_said_closed(client, student):
    """The office moved the opening of a call later, after the student had started their draft:
    the refusal said the call "closed" on a day still to come."""
    today = timezone.localdate()
    call = CallFactory(opens_on=today - timedelta(days=3), closes_on=today + timedelta(days=30))
    application = complete_application(student, call=call)
    type(call).objects.filter(pk=call.pk).update(opens_on=today + timedelta(days=7))
    call.refresh_from_db()
    response = login(client, student).post(submit_url(application))
    opens, closes = date_format(call.opens_on), date_format(call.closes_on)
    assert_refused_for(
        client, application, response, [f"This call opens on {opens} and closes on {closes}."]
    )
    assert_still_draft(application)


def _sent_back_after_the_call_closed(student, dri):
    """A complete application submitted while its call was open, then sent back for changes
    once the call had closed (the office reviews after the deadline)."""
    today = timezone.localdate()
    call = CallFactory(opens_on=today - timedelta(days=30), closes_on=today + timedelta(days=1))
    application = services.application_submit(
        actor=student, application=complete_application(student, call=call)
    )
    call.closes_on = today - timedelta(days=1)
    call.save()
    return application_request_changes(actor=dri, application=application, message="Sign the CV.")


def test_an_application_sent_back_after_the_call_closed_can_be_submitted_again(
    client, student, dri
):
    application = _sent_back_after_the_call_closed(student, dri)
    response = login(client, student).post(submit_url(application))
    assert messages_of(response) == [
        "Your application is submitted. The international relations office will review it."
    ]
    application.refresh_from_db()
    assert application.state == ApplicationState.SUBMITTED
    assert list(application.history.values_list("from_state", "to_state")) == [
        (ApplicationState.DRAFT, ApplicationState.SUBMITTED),
        (ApplicationState.SUBMITTED, ApplicationState.CHANGES_REQUESTED),
        (ApplicationState.CHANGES_REQUESTED, ApplicationState.SUBMITTED),
    ]


def test_the_application_page_does_not_call_a_resubmission_late(client, student, dri):
    application = _sent_back_after_the_call_closed(student, dri)
    page = login(client, student).get(
        reverse("applications:application_detail", args=[application.pk])
    )
    assert "The call closed" not in page.content.decode()


def test_a_resubmission_still_needs_what_a_submission_needs(client, student, dri):
    application = _sent_back_after_the_call_closed(student, dri)
    application.documents.all().delete()
    response = login(client, student).post(submit_url(application))
    assert messages_of(response) == [SEE_SUBMISSION]
    assert any(
        reason.startswith("Missing document")
        for reason in listed_under_submission(client, application)
    )
    application.refresh_from_db()
    assert application.state == ApplicationState.CHANGES_REQUESTED


def test_submitting_twice_is_refused(client, student):
    application = complete_application(student)
    services.application_submit(actor=student, application=application)
    response = login(client, student).post(submit_url(application))
    # A reason the page's Submission section does not list (it is gone): said in the alert.
    assert messages_of(response) == [
        f'{NOT_SUBMITTED}<ul class="mb-0"><li>'
        "This application is submitted: it can no longer be changed.</li></ul>"
    ]
    assert Transition.objects.filter(application=application).count() == 1


def test_submit_is_post_only(client, student):
    application = complete_application(student)
    assert login(client, student).get(submit_url(application)).status_code == 405
    assert_still_draft(application)


def test_another_student_gets_404(client, student, other_student):
    application = complete_application(student)
    assert login(client, other_student).post(submit_url(application)).status_code == 404
    assert_still_draft(application)


@pytest.mark.parametrize("persona", ["advisor", "dri", "dfi"])
def test_who_may_see_may_not_submit(client, request, persona, student):
    application = complete_application(student)
    response = login(client, request.getfixturevalue(persona)).post(submit_url(application))
    assert response.status_code == 403
    assert_still_draft(application)


def test_anonymous_is_sent_to_login(client, student):
    application = complete_application(student)
    assert client.post(submit_url(application)).url.startswith(reverse("login"))
    assert_still_draft(application)


def test_the_office_s_request_for_changes_heads_the_application_page(client, student, dri):
    from tests.reviews.dri.builders import in_state, submitted

    application = in_state(submitted(student), ApplicationState.UNDER_REVIEW)
    application_request_changes(
        actor=dri, application=application, message="Add your <b>B2</b> certificate."
    )
    url = reverse("applications:application_detail", args=[application.pk])
    page = login(client, student).get(url).content.decode()
    asked = page[
        page.index('id="changes-asked"') : page.index("</div>", page.index("changes-asked"))
    ]
    assert "The international relations office asks for changes" in asked
    assert "Add your &lt;b&gt;B2&lt;/b&gt; certificate." in asked
    services.application_submit(actor=student, application=application)
    assert 'id="changes-asked"' not in client.get(url).content.decode()


@pytest.mark.django_db
def test_more_choices_than_the_call_now_takes_are_refused(client, student):
    """Saved while the call took three, submitted after the office lowered it to one."""
    from tests.applications.factories import ChoiceFactory, semester_for

    application = complete_application(student)
    second = semester_for(student, start=application.choices.get().activity.end + timedelta(1))
    ChoiceFactory(application=application, rank=2, activity=second)
    type(application.call).objects.filter(pk=application.call_id).update(max_choices=1)
    response = login(client, student).post(submit_url(application))
    assert messages_of(response) == [SEE_SUBMISSION]
    assert "This call now takes at most 1 choice: remove the extra ones before submitting." in (
        listed_under_submission(client, application)
    )
    assert_still_draft(application)


def test_the_application_page_links_to_the_plan_when_its_errors_block_the_submission(
    client, student
):
    """The list of what is missing named the plan's errors, and nothing on the page led to
    the plan where they are fixed."""
    plan_link = f'href="{reverse("applications:plan")}">Fix the errors of my plan</a>'
    application = complete_application(student, ects=20)
    login(client, student)
    page = client.get(reverse("applications:application_detail", args=[application.pk]))
    assert plan_link in page.content.decode()
    activity = application.choices.get().activity
    fields = {name: getattr(activity, name) for name in services.ACTIVITY_FIELDS}
    services.activity_update(actor=student, activity=activity, fields={**fields, "ects": 30})
    page = client.get(reverse("applications:application_detail", args=[application.pk]))
    assert "Everything is ready" in page.content.decode()
    assert plan_link not in page.content.decode()


def test_missing_documents_alone_do_not_send_to_the_plan(client, student):
    application = draft_with_choice(student)
    page = login(client, student).get(
        reverse("applications:application_detail", args=[application.pk])
    )
    assert "Missing document: CV." in page.content.decode()
    assert "Fix the errors of my plan" not in page.content.decode()


def test_a_refusal_shows_each_reason_once_under_one_alert_that_links_to_them(client, student):
    application = draft_with_choice(student)
    page = login(client, student).post(submit_url(application), follow=True).content.decode()
    alerts = re.findall(r'<div class="alert alert-danger" role="status">(.*?)</div>', page)
    assert alerts == [SEE_SUBMISSION]
    assert 'id="submit-title"' in page
    assert page.count("Missing document: CV.") == 1
