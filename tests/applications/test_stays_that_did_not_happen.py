"""A study stay the student applied for, every application ending without taking them there
(refused, withdrawn, refused by every host), still counts toward the time abroad: the plan
page and the dashboard say so, rather than let the plan read as done."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.applications import services
from apps.applications.models import ApplicationState as S
from apps.applications.selectors import stays_that_did_not_happen
from tests.applications.factories import (
    ActivityFactory,
    ApplicationFactory,
    ChoiceFactory,
    login,
    plan_for,
)
from tests.factories import CallFactory

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 28)


def stay(student, **fields):
    return ActivityFactory(plan=plan_for(student), **fields)


def applied(student, activity, state, *, year=2027, host_refused=False, created_days_ago=0):
    application = ApplicationFactory(
        student=student, state=state, call=CallFactory(academic_year=year)
    )
    type(application).objects.filter(pk=application.pk).update(
        created_at=timezone.now() - timedelta(days=created_days_ago)
    )
    ChoiceFactory(
        application=application,
        activity=activity,
        agreement=None,  # the stay's own host, outside partnerships
        host_refused_at=timezone.now() if host_refused else None,
    )
    return application


@pytest.mark.parametrize("state", [S.REFUSED, S.WITHDRAWN])
def test_a_stay_whose_application_ended_is_named_with_that_application(student, state):
    activity = stay(student)
    application = applied(student, activity, state)
    assert stays_that_did_not_happen(student, [activity], TODAY) == {activity.pk: application}


@pytest.mark.parametrize(
    "state",
    [S.DRAFT, S.SUBMITTED, S.UNDER_REVIEW, S.CHANGES_REQUESTED, S.NOMINATED, S.ACCEPTED]
    + [S.IN_MOBILITY, S.RETURNED, S.COMPLETED],
)
def test_a_stay_on_its_way_is_not(student, state):
    activity = stay(student)
    applied(student, activity, state)
    assert stays_that_did_not_happen(student, [activity], TODAY) == {}


def test_a_stay_never_applied_for_is_not(student):
    activity = stay(student)
    assert stays_that_did_not_happen(student, [activity], TODAY) == {}


def test_a_new_application_after_a_refusal_keeps_the_stay_on_its_way(student):
    activity = stay(student)
    applied(student, activity, S.REFUSED, year=2026, created_days_ago=300)
    applied(student, activity, S.DRAFT, year=2027)
    assert stays_that_did_not_happen(student, [activity], TODAY) == {}


def test_the_latest_of_several_ended_applications_is_named(student):
    activity = stay(student)
    applied(student, activity, S.REFUSED, year=2026, created_days_ago=300)
    latest = applied(student, activity, S.WITHDRAWN, year=2027)
    assert stays_that_did_not_happen(student, [activity], TODAY) == {activity.pk: latest}


def test_a_host_refusal_counts_once_no_choice_is_left_or_its_year_is_gone(student):
    waiting, refused_everywhere, year_gone = stay(student), stay(student), stay(student)
    applied(student, waiting, S.HOST_REFUSED)  # its choice is not refused: may be renominated
    gone = applied(student, refused_everywhere, S.HOST_REFUSED, host_refused=True)
    old = applied(student, year_gone, S.HOST_REFUSED, year=2024)
    assert stays_that_did_not_happen(student, [waiting, refused_everywhere, year_gone], TODAY) == {
        refused_everywhere.pk: gone,
        year_gone.pk: old,
    }


def test_another_students_applications_do_not_count(student, other_student):
    activity = stay(student)
    applied(other_student, activity, S.REFUSED)
    assert stays_that_did_not_happen(student, [activity], TODAY) == {}


def test_the_plan_page_says_the_stay_still_counts(client, student):
    activity = stay(student, host_name="Universidad de Chile")
    application = applied(student, activity, S.REFUSED)
    content = login(client, student).get(reverse("applications:plan")).content.decode()
    assert (
        f"Your application to {application.call} for this stay is refused: the stay still "
        "counts toward your time abroad in this plan."
    ) in content
    assert reverse("applications:application_detail", args=[application.pk]) in content


def test_the_plan_page_says_nothing_of_the_kind_for_a_stay_on_its_way(client, student):
    applied(student, stay(student), S.NOMINATED)
    content = login(client, student).get(reverse("applications:plan")).content.decode()
    assert "still counts toward your time abroad" not in content


def test_in_french(client, student):
    application = applied(student, stay(student), S.WITHDRAWN)
    client.force_login(student)
    content = client.get(reverse("applications:plan"), HTTP_ACCEPT_LANGUAGE="fr")
    assert (
        f"Votre candidature à {application.call} pour ce séjour est retirée : le séjour compte "
        "toujours"
    ) in content.content.decode()


def test_the_plan_page_reads_them_in_one_query_whatever_their_number(
    client, student, django_assert_max_num_queries
):
    for _index in range(6):
        applied(student, stay(student), S.REFUSED)
    login(client, student)
    with django_assert_max_num_queries(11):
        response = client.get(reverse("applications:plan"))
    assert len(response.context["did_not_happen"]) == 6


def test_the_dashboard_asks_to_remove_the_stay_or_apply_again(client, student):
    activity = stay(student, host_name="Universidad de Chile")
    application = applied(student, activity, S.REFUSED)
    response = login(client, student).get(reverse("applications:dashboard"))
    step = response.context["step"]
    assert step.text == (
        f"Your application to “{application.call}” for the stay at Universidad de Chile is "
        "refused, and the stay still counts toward your time abroad. Remove it from your plan "
        "if you will not go, or apply for it in another call."
    )
    assert step.url == reverse("applications:plan")


def test_an_application_on_its_way_comes_first_on_the_dashboard(client, student):
    applied(student, stay(student), S.WITHDRAWN)
    applied(student, stay(student), S.UNDER_REVIEW)
    step = login(client, student).get(reverse("applications:dashboard")).context["step"]
    assert "is reviewing your application" in step.text


def test_the_dashboard_asks_for_them_in_one_query_whatever_their_number(
    client, student, other_student, pages_rendered_each_time
):
    def queries(who, stays):
        for _index in range(stays):
            applied(who, stay(who), S.REFUSED)
        login(client, who)
        with CaptureQueriesContext(connection) as captured:
            client.get(reverse("applications:dashboard"))
        return len(captured)

    assert queries(student, 1) == queries(other_student, 5)


def test_refused_by_every_host_the_notice_says_to_withdraw_before_removing(client, student):
    """Removing the stay is refused while its application, refused by the host, is not
    withdrawn: the notice says so rather than "remove it"."""
    activity = stay(student)
    application = applied(student, activity, S.HOST_REFUSED, host_refused=True)
    content = login(client, student).get(reverse("applications:plan")).content.decode()
    assert (
        f"Your application to {application.call} for this stay is refused by the host: the stay "
        "still counts toward your time abroad in this plan. If you will not go, withdraw the "
        "application, then remove the stay."
    ) in content
    assert "Remove it if you will not go" not in content
    refused = client.post(reverse("applications:activity_delete", args=[activity.pk]))
    assert type(activity).objects.filter(pk=activity.pk).exists(), refused
    services.application_withdraw(actor=student, application=application)
    client.post(reverse("applications:activity_delete", args=[activity.pk]))
    assert not type(activity).objects.filter(pk=activity.pk).exists()


def draft_in_call(student, activity, *, closes_on):
    call = CallFactory(
        academic_year=2027, opens_on=closes_on - timedelta(days=60), closes_on=closes_on
    )
    application = ApplicationFactory(student=student, state=S.DRAFT, call=call)
    ChoiceFactory(application=application, activity=activity, agreement=None)
    return application


def test_a_draft_left_when_its_call_closed_is_a_stay_that_did_not_happen(student):
    closed, open_ = stay(student), stay(student)
    left = draft_in_call(student, closed, closes_on=TODAY - timedelta(days=1))
    draft_in_call(student, open_, closes_on=TODAY)  # closes tonight: still on its way
    assert stays_that_did_not_happen(student, [closed, open_], TODAY) == {closed.pk: left}


def test_the_plan_page_and_the_dashboard_say_the_draft_was_never_submitted(client, student):
    activity = stay(student, host_name="Universidad de Chile")
    today = timezone.localdate()
    application = draft_in_call(student, activity, closes_on=today - timedelta(days=1))
    content = login(client, student).get(reverse("applications:plan")).content.decode()
    assert (
        f"Your application to {application.call} for this stay was never submitted, and the "
        "call has closed"
    ) in content
    step = client.get(reverse("applications:dashboard")).context["step"]
    assert step.text.startswith(
        f"Your application to “{application.call}” for the stay at Universidad de Chile was "
        "never submitted, and the call has closed"
    )


def withdrawn_then_moved(student, choices):
    """A submitted application choosing its semester at each partner of `choices` (names), the
    first being where the stay is, withdrawn; then the student moved the stay to Madrid."""
    from apps.applications.services import ACTIVITY_FIELDS
    from tests.applications.factories import complete_application
    from tests.factories import AgreementFactory, PartnerFactory

    partners = [PartnerFactory(name=name, country="DE") for name in choices]
    application = complete_application(student, partner=partners[0], host_name="")
    first = application.choices.get()
    first.agreement = AgreementFactory(partner=partners[0])
    first.save()
    for rank, partner in enumerate(partners[1:], start=2):
        ChoiceFactory(
            application=application,
            rank=rank,
            activity=first.activity,
            agreement=AgreementFactory(partner=partner),
        )
    services.application_submit(actor=student, application=application)
    services.application_withdraw(actor=student, application=application)
    semester = first.activity
    fields = {name: getattr(semester, name) for name in ACTIVITY_FIELDS}
    madrid = PartnerFactory(name="Universidad Complutense", country="ES")
    services.activity_update(
        actor=student, activity=semester, fields={**fields, "partner": madrid, "country": "ES"}
    )
    return application


@pytest.mark.parametrize(
    ("choices", "named"),
    [
        (["TU Munich"], "TU Munich"),
        (["TU Munich", "Aalto University"], "TU Munich or Aalto University"),
    ],
)
def test_the_dashboard_names_the_hosts_applied_for_not_where_the_stay_went_since(
    client, student, choices, named
):
    """Withdrawn, the student moved the stay to a host they never applied to: the application
    that ended was for the stay at the hosts it chose."""
    application = withdrawn_then_moved(student, choices)

    step = login(client, student).get(reverse("applications:dashboard")).context["step"]

    assert step.text.startswith(
        f"Your application to “{application.call}” for the stay at {named} is withdrawn"
    )


def test_a_nominated_application_that_ended_names_the_host_it_was_nominated_to(client, student):
    application = withdrawn_then_moved(student, ["TU Munich", "Aalto University"])
    # Nominated to Aalto before the withdrawal (set directly: nominations are tested
    # elsewhere): the stay it ended with was at Aalto.
    type(application).objects.filter(pk=application.pk).update(
        nominated_choice=application.choices.get(rank=2)
    )

    step = login(client, student).get(reverse("applications:dashboard")).context["step"]

    assert "for the stay at Aalto University is withdrawn" in step.text


def test_a_stay_still_at_a_host_applied_for_is_named_by_it(client, student):
    """Where the stay is, when the application chose it: not every host the application
    chose."""
    activity = stay(student, host_name="Universidad de Chile")
    application = applied(student, activity, S.REFUSED)
    other = ChoiceFactory(application=application, rank=2, activity=activity)
    assert other.agreement.partner.name != "Universidad de Chile"

    step = login(client, student).get(reverse("applications:dashboard")).context["step"]

    assert "for the stay at Universidad de Chile is refused" in step.text


def test_the_hosts_applied_for_in_french(client, student):
    withdrawn_then_moved(student, ["TU Munich", "Aalto University"])
    client.force_login(student)
    response = client.get(reverse("applications:dashboard"), HTTP_ACCEPT_LANGUAGE="fr")
    assert (
        "pour le séjour à TU Munich ou Aalto University est retirée"
        in response.context["step"].text
    )
