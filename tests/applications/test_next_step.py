import pytest
from django.utils import translation

from apps.applications.next_step import DraftSummary, Situation, next_step

READY = {"has_profile": True, "activity_count": 2}


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def test_without_profile_the_student_waits_for_the_dri():
    step = next_step(Situation(has_profile=False, activity_count=3, submitted_count=1))
    assert "DRI" in step.text
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
    step = next_step(Situation(**READY, submitted_count=1))
    assert "review" in step.text
    assert step.url_name is None


def test_nothing_to_do_says_so():
    step = next_step(Situation(**READY))
    assert "No call for applications is open" in step.text
    assert step.url is None
