"""The DRI review queue: who may see it, what it lists, its filters, sort, counts, pages."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.applications.models import ActivityKind, ApplicationState, CoursePlanStatus
from apps.programmes.models import AgreementKind
from tests.applications.factories import (
    ActivityFactory,
    ApplicationFactory,
    ChoiceFactory,
    CoursePlanFactory,
    login,
    plan_for,
)
from tests.factories import AgreementFactory, CallFactory, PartnerFactory, StudentProfileFactory
from tests.reviews.dri.builders import in_state

S = ApplicationState
QUEUE = reverse("reviews:queue")


def applicant(*, state=S.SUBMITTED, first_name="Ada", last_name="Lovelace", **fields):
    """An application past the draft stage, with no choice yet."""
    profile = StudentProfileFactory(user__first_name=first_name, user__last_name=last_name)
    return in_state(ApplicationFactory(student=profile.user, **fields), state)


def choose(application, *, rank=1, agreement=None, **activity_fields):
    activity = ActivityFactory(plan=plan_for(application.student), **activity_fields)
    return ChoiceFactory(application=application, rank=rank, activity=activity, agreement=agreement)


def rows(response):
    return list(response.context["page"].object_list)


def listed(client, user, **params):
    response = login(client, user).get(QUEUE, params)
    assert response.status_code == 200
    return rows(response)


@pytest.mark.parametrize("persona", ["dri", "dfi", "admin_user"])
def test_staff_see_every_application_past_the_draft(client, db, request, persona):
    waiting = applicant()
    ApplicationFactory()  # a draft: not in the queue
    response = login(client, request.getfixturevalue(persona)).get(QUEUE)
    assert response.status_code == 200
    assert rows(response) == [waiting]
    content = response.content.decode()
    assert reverse("reviews:dossier", args=[waiting.pk]) in content
    assert reverse("reviews:queue_export") in content


@pytest.mark.parametrize("persona", ["student", "advisor"])
def test_students_and_advisors_are_refused(client, request, persona):
    assert login(client, request.getfixturevalue(persona)).get(QUEUE).status_code == 403


@pytest.mark.parametrize(("persona", "shown"), [("dri", True), ("dfi", True), ("advisor", False)])
def test_staff_navigation_leads_to_the_queue_and_the_dashboard(client, request, persona, shown):
    content = login(client, request.getfixturevalue(persona)).get(reverse("home")).content.decode()
    assert (f'href="{QUEUE}"' in content) is shown
    assert (f'href="{reverse("reviews:reporting")}"' in content) is shown


def test_anonymous_is_sent_to_login(client, db):
    assert client.get(QUEUE).url.startswith(reverse("login"))


def test_filter_by_call_and_academic_year(client, dri):
    this_year = applicant(call=CallFactory(academic_year=2027))
    next_year = applicant(call=CallFactory(academic_year=2028))
    assert listed(client, dri, call=this_year.call_id) == [this_year]
    assert listed(client, dri, year=2028) == [next_year]


def test_filter_by_state(client, dri):
    applicant()
    nominated = applicant(state=S.NOMINATED)
    assert listed(client, dri, state=S.NOMINATED) == [nominated]


def test_filter_by_partner_of_any_choice(client, dri):
    partner = PartnerFactory()
    second_choice = applicant()
    choose(second_choice, rank=1, agreement=AgreementFactory())
    choose(second_choice, rank=2, agreement=AgreementFactory(partner=partner))
    choose(applicant(), agreement=AgreementFactory())
    assert listed(client, dri, partner=partner.pk) == [second_choice]


def test_filter_by_destination_country_of_agreement_or_own_host(client, dri):
    under_agreement = applicant()
    choose(
        under_agreement,
        agreement=AgreementFactory(partner=PartnerFactory(country="JP")),
        country="DE",
    )
    own_host = applicant()
    choose(own_host, agreement=None, country="JP")
    elsewhere = applicant()
    choose(
        elsewhere, agreement=AgreementFactory(partner=PartnerFactory(country="CA")), country="JP"
    )
    assert set(listed(client, dri, country="JP")) == {under_agreement, own_host}


def test_filter_by_programme_kind(client, dri):
    master = applicant()
    choose(master, kind=ActivityKind.MASTER, agreement=None)
    choose(applicant(), kind=ActivityKind.EXCHANGE_SEMESTER, agreement=None)
    assert listed(client, dri, kind=ActivityKind.MASTER) == [master]


def test_filter_by_rule_errors_when_submitted(client, dri):
    with_errors = applicant(snapshot_has_errors=True)
    clean = applicant()
    assert listed(client, dri, has_errors="true") == [with_errors]
    assert listed(client, dri, has_errors="false") == [clean]


def test_filter_by_course_plans_approved_reads_the_latest_version_of_each_study(client, dri):
    approved = applicant()
    activity = choose(approved, agreement=None).activity
    CoursePlanFactory(activity=activity, version=1, status=CoursePlanStatus.CHANGES_REQUESTED)
    CoursePlanFactory(activity=activity, version=2, status=CoursePlanStatus.APPROVED)
    superseded = applicant()
    activity = choose(superseded, agreement=None).activity
    CoursePlanFactory(activity=activity, version=1, status=CoursePlanStatus.APPROVED)
    CoursePlanFactory(activity=activity, version=2, status=CoursePlanStatus.PENDING)
    one_missing = applicant()
    activity = choose(one_missing, agreement=None).activity
    CoursePlanFactory(activity=activity, status=CoursePlanStatus.APPROVED)
    choose(one_missing, rank=2, agreement=None)  # a second study stay without a course plan
    no_choice = applicant()
    assert listed(client, dri, course_plan_approved="true") == [approved]
    assert set(listed(client, dri, course_plan_approved="false")) == {
        superseded,
        one_missing,
        no_choice,
    }


@pytest.mark.parametrize("search", ["lovelace", "ADA LOVE", "ada.l@example", "S-4242"], ids=str)
def test_search_by_name_email_or_student_number(client, dri, search):
    found = applicant()
    found.student.email = "ada.l@example.org"
    found.student.save()
    profile = found.student.student_profile
    profile.student_number = "S-4242"
    profile.save()
    applicant(first_name="Grace", last_name="Hopper")
    assert listed(client, dri, q=search) == [found]


def test_sort_by_each_column_both_ways(client, dri):
    now = timezone.now()
    zoe = applicant(first_name="Zoe", last_name="Adams", state=S.NOMINATED, ranking_score=12)
    bob = applicant(first_name="Bob", last_name="Young", state=S.SUBMITTED, ranking_score=None)
    amy = applicant(first_name="Amy", last_name="Young", state=S.UNDER_REVIEW, ranking_score=15)
    for days, application in enumerate([bob, zoe, amy]):
        in_state(application, application.state, submitted_at=now + timedelta(days=days))
    assert listed(client, dri) == [bob, zoe, amy]  # oldest submission first by default
    assert listed(client, dri, sort="-submitted") == [amy, zoe, bob]
    assert listed(client, dri, sort="name") == [zoe, amy, bob]
    assert listed(client, dri, sort="-name") == [bob, amy, zoe]
    assert listed(client, dri, sort="state") == [bob, amy, zoe]  # the workflow's order
    assert listed(client, dri, sort="-state") == [zoe, amy, bob]
    assert listed(client, dri, sort="-score") == [amy, zoe, bob]  # no score: always last
    assert listed(client, dri, sort="score") == [zoe, amy, bob]


def test_column_headers_sort_and_say_how(client, dri):
    applicant()
    response = login(client, dri).get(QUEUE, {"sort": "name", "state": S.SUBMITTED})
    links = response.context["sort_links"]
    assert links["name"].aria_sort == "ascending"
    assert links["name"].query == "sort=-name&state=submitted"
    assert links["score"].aria_sort == "none"
    assert 'aria-sort="ascending"' in response.content.decode()


def test_counts_total_and_per_state_under_the_other_filters(client, dri):
    call = CallFactory()
    for state in (S.SUBMITTED, S.SUBMITTED, S.NOMINATED):
        applicant(state=state, call=call)
    applicant(state=S.SUBMITTED)  # another call
    response = login(client, dri).get(QUEUE, {"call": call.pk, "state": S.SUBMITTED})
    assert response.context["page"].paginator.count == 2
    counts = {row.key: row.count for row in response.context["state_counts"]}
    assert counts[S.SUBMITTED] == 2
    assert counts[S.NOMINATED] == 1  # what choosing that state would show
    assert counts[S.REFUSED] == 0
    assert S.DRAFT not in counts
    content = response.content.decode()
    assert "2 applications match these filters" in content
    assert f"?call={call.pk}&amp;state=nominated" in content


def test_pages_of_fifty(client, dri):
    for _index in range(51):
        applicant()
    first = login(client, dri).get(QUEUE)
    assert len(rows(first)) == 50
    second = client.get(QUEUE, {"page": 2})
    assert len(rows(second)) == 1
    assert "Page 1 of 2" in first.content.decode()


def test_a_bad_filter_value_is_a_form_error_not_a_crash(client, dri):
    waiting = applicant()
    response = login(client, dri).get(QUEUE, {"state": "bogus", "partner": "999999"})
    assert response.status_code == 200
    assert set(response.context["filter"].errors) == {"state", "partner"}
    assert rows(response) == [waiting]  # the invalid filters select nothing out
    assert response.context["page"].paginator.count == 1  # and the count agrees
    assert "invalid-feedback" in response.content.decode()


@pytest.mark.parametrize("search", ["lea", "LÉA", "Lea Hel", "helene"], ids=str)
def test_a_name_is_found_whatever_the_accents_and_case_typed(client, dri, search):
    found = applicant(first_name="Léa", last_name="Hélène")
    applicant(first_name="Grace", last_name="Hopper")
    assert listed(client, dri, q=search) == [found]


def test_partner_country_and_programme_select_one_choice_together(client, dri):
    """An officer asking for the masters at a partner, or in a country, gets the applications
    one of whose choices is such a master: not one naming the partner for a semester and a
    master elsewhere (each filter used to match a choice of its own)."""
    milano = PartnerFactory(country="IT")
    master, semester = ActivityKind.MASTER, ActivityKind.EXCHANGE_SEMESTER
    at_milano = applicant()
    masters = AgreementFactory(partner=milano, kind=AgreementKind.MASTER)
    choose(at_milano, agreement=masters, kind=master)
    own_host_in_italy = applicant()
    choose(own_host_in_italy, agreement=None, country="IT", kind=master)
    apart = applicant()  # a semester at Milano, a master in Japan
    choose(apart, rank=1, agreement=AgreementFactory(partner=milano), kind=semester)
    in_japan = AgreementFactory(partner=PartnerFactory(country="JP"), kind=AgreementKind.MASTER)
    choose(apart, rank=2, agreement=in_japan, kind=master)
    assert listed(client, dri, partner=milano.pk, kind=master) == [at_milano]
    assert set(listed(client, dri, country="IT", kind=master)) == {at_milano, own_host_in_italy}
    assert listed(client, dri, partner=milano.pk, country="JP") == []
    assert set(listed(client, dri, partner=milano.pk)) == {at_milano, apart}
    response = client.get(QUEUE, {"country": "IT", "kind": master})
    assert response.context["page"].paginator.count == 2  # the counts agree
    export = client.get(reverse("reviews:queue_export"), {"partner": milano.pk, "kind": master})
    assert len(b"".join(export.streaming_content).decode("utf-8-sig").splitlines()) == 2


@pytest.mark.parametrize("name", ["has_errors", "course_plan_approved"])
def test_a_yes_no_filter_with_another_value_is_a_form_error_not_all(client, dri, name):
    applicant()
    response = login(client, dri).get(QUEUE, {name: "maybe"})
    assert response.status_code == 200
    assert set(response.context["filter"].errors) == {name}
    assert "maybe is not one of the available choices" in response.content.decode()
    for value in ("", "true", "false"):
        assert not login(client, dri).get(QUEUE, {name: value}).context["filter"].errors


def test_a_row_escapes_what_people_typed(client, dri):
    """The rows are written in Python (queue_table.py): escaped as the template escaped them."""
    application = applicant(first_name="<b>Ada</b>", last_name="& Co")
    choose(application, host_name='<i>"Host"</i>')
    content = login(client, dri).get(QUEUE, {"q": "Co"}).content.decode()
    assert "&lt;b&gt;Ada&lt;/b&gt; &amp; Co" in content
    assert "&lt;i&gt;&quot;Host&quot;&lt;/i&gt;" in content
    assert "<b>Ada" not in content and "<i>" not in content
    assert f'href="{reverse("reviews:dossier", args=[application.pk])}?back=q%3DCo"' in content


def test_the_queue_is_to_review_for_the_office_and_to_read_for_the_dfi(client, dri, dfi):
    """The DFI's menu and home say 'Applications': the page said 'Applications to review' to
    the body that reviews none of them."""
    applicant()
    login(client, dri)
    assert '<h1 class="h3 mb-0">Applications to review</h1>' in (
        client.get(reverse("reviews:queue")).content.decode()
    )
    login(client, dfi)
    page = client.get(reverse("reviews:queue")).content.decode()
    assert '<h1 class="h3 mb-0">Applications</h1>' in page
    assert "Applications to review" not in page
