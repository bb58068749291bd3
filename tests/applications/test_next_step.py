from datetime import UTC, datetime

import pytest
from django.utils import translation

from apps.applications.next_step import (
    ApplicationSummary,
    DraftSummary,
    Situation,
    StayNotTaken,
    next_step,
)

READY = {"has_profile": True, "activity_count": 2}


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def test_without_profile_the_student_waits_for_the_administrators():
    current = ApplicationSummary(pk=3, call_name="Call 2027", state="submitted")
    step = next_step(Situation(has_profile=False, activity_count=3, current=current))
    assert "administrators complete it" in step.text
    assert step.url_name is None


def test_empty_plan_asks_for_a_first_activity():
    step = next_step(Situation(has_profile=True, open_call_without_application="Call 2027"))
    assert step.url_name == "applications:activity_add"


def test_plan_errors_come_before_applying():
    step = next_step(
        Situation(**READY, plan_error_count=2, open_call_without_application="Call 2027")
    )
    assert step.text == "Your plan has 2 errors: fix them."
    assert step.url_name == "applications:plan"


def test_one_plan_error_reads_in_the_singular():
    assert (
        next_step(Situation(**READY, plan_error_count=1)).text == "Your plan has 1 error: fix it."
    )


def test_a_draft_lists_what_it_still_lacks():
    draft = DraftSummary(pk=7, call_name="Call 2027", missing=("Write your motivation.",))
    step = next_step(Situation(**READY, draft=draft, open_call_without_application="Other"))
    assert "Still missing" in step.text
    assert step.details == ("Write your motivation.",)
    assert (step.url_name, step.url_args) == ("applications:application_detail", (7,))


def test_a_complete_draft_is_to_be_submitted():
    step = next_step(Situation(**READY, draft=DraftSummary(pk=7, call_name="Call 2027")))
    assert "submit it" in step.text
    assert step.details == ()


def test_an_open_call_without_application_invites_to_apply():
    step = next_step(Situation(**READY, open_call_without_application="Call 2027"))
    assert "Call 2027" in step.text
    assert step.url_name == "applications:application_list"


def test_submitted_application_waits_for_review():
    current = ApplicationSummary(pk=3, call_name="Call 2027", state="submitted")
    step = next_step(Situation(**READY, current=current))
    assert "reviews it" in step.text
    assert (step.url_name, step.url_args) == ("applications:application_detail", (3,))


def test_changes_asked_for_come_before_anything_else_but_the_plan():
    current = ApplicationSummary(pk=3, call_name="Call 2027", state="changes_requested")
    draft = DraftSummary(pk=7, call_name="Other call")
    step = next_step(
        Situation(**READY, draft=draft, current=current, open_call_without_application="X")
    )
    assert step.text.startswith("The international relations office asks for changes")
    assert "submit it again" in step.text
    assert (step.url_name, step.url_args) == ("applications:application_detail", (3,))


@pytest.mark.parametrize(
    ("state", "says"),
    [
        ("under_review", "is reviewing your application to “Call 2027”"),
        ("nominated", "You are nominated to KTH"),
        ("accepted", "KTH has accepted you"),
        ("in_mobility", "Have a good stay at KTH"),
        ("returned", "credits you obtained at KTH"),
        ("host_refused", "KTH did not accept you. The international relations office may nominate"),
    ],
)
def test_each_state_past_the_draft_says_where_the_student_stands(state, says):
    current = ApplicationSummary(pk=3, call_name="Call 2027", state=state, destination="KTH")
    step = next_step(Situation(**READY, current=current))
    assert says in step.text
    assert step.url_args == (3,)


def test_back_from_mobility_the_student_is_sent_to_record_their_credits():
    """The student uploads the transcript and enters the credits; the advisor cannot confirm
    the recognition before (it said the advisor recorded them, and the dossier waited)."""
    current = ApplicationSummary(pk=3, call_name="Call 2027", state="returned", destination="KTH")
    step = next_step(Situation(**READY, current=current))
    assert "Upload the host's transcript of records and enter the credits" in step.text
    assert (step.url_name, step.url_args) == ("reviews:return_page", (3,))


@pytest.mark.parametrize("state", ["refused", "withdrawn", "completed"])
def test_a_closed_application_leaves_the_usual_advice(state):
    current = ApplicationSummary(pk=3, call_name="Call 2027", state=state)
    step = next_step(Situation(**READY, current=current, open_call_without_application="Next"))
    assert "“Next” is open" in step.text


def test_nothing_to_do_says_so():
    step = next_step(Situation(**READY))
    assert "No call for applications is open" in step.text
    assert step.url is None


def test_courses_the_advisor_rejected_come_before_a_draft_or_a_follow_up():
    from apps.applications.next_step import RejectedCourses

    rejected = RejectedCourses(activity_pk=5, host="TU Berlin", count=2)
    current = ApplicationSummary(pk=3, call_name="Call 2027", state="nominated", destination="X")
    draft = DraftSummary(pk=7, call_name="Other call")
    step = next_step(Situation(**READY, rejected_courses=rejected, current=current, draft=draft))
    assert step.text == (
        "Your study advisor rejected 2 courses of your course plan for TU Berlin: read why, "
        "change them and save the course plan again."
    )
    assert (step.url_name, step.url_args) == ("applications:course_plan_edit", (5,))
    one = RejectedCourses(activity_pk=5, host="TU Berlin", count=1)
    assert "rejected 1 course of" in next_step(Situation(**READY, rejected_courses=one)).text


def test_a_stay_not_taken_comes_before_an_open_call():
    step = next_step(
        Situation(
            **READY,
            open_call_without_application="Call 2028",
            stay_not_taken=StayNotTaken(host="KTH", call_name="Call 2027", state_label="refused"),
        )
    )
    assert step.text.startswith("Your application to “Call 2027” for the stay at KTH is refused")
    assert step.url_name == "applications:plan"


def test_a_pending_erasure_request_comes_before_the_plan_and_the_calls():
    asked = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)
    situation = Situation(
        **READY,
        plan_error_count=1,
        open_call_without_application="Call 2027",
        erasure_asked_at=asked,
    )
    step = next_step(situation)
    assert step.url_name == "applications:privacy_export"
    assert step.link_text == "My data"
    assert "You asked on 28 November 2026 for your personal data to be erased." in step.text
    assert step.text.endswith("To apply to a call, cancel your request first.")
