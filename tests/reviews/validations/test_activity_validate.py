"""A body's decision on a requested validation: audit row, flag, plan checked again."""

import pytest
from django.urls import reverse

from apps.applications.checking import plan_result
from apps.applications.errors import ServiceError
from apps.applications.models import ActivityValidation, MobilityPlan
from apps.notifications.models import Notification
from apps.reviews.services.validations import activity_validate
from tests.applications.factories import login, messages_of, semester_for
from tests.reviews.advisor.builders import requested, summer_stay

DETAIL_MAX_QUERIES = 11


def detail_url(activity):
    return reverse("reviews:validation_detail", args=[activity.pk])


@pytest.fixture
def stay(student):
    return requested(summer_stay(student))


def flags(activity):
    activity.refresh_from_db()
    return activity.approved_by_dfi, activity.approved_by_dri


def summer_findings(activity):
    plan = activity.plan
    check = plan_result(plan, plan.activities.all())
    return [finding.rule for finding in check.by_activity.get(activity.engine_id, [])]


def test_each_body_decides_for_itself_and_the_student_hears_of_it(student, dfi, dri, stay):
    validation = activity_validate(actor=dfi, activity=stay, approved=True, comment=" Fine ")
    assert (validation.body, validation.approved, validation.comment, validation.decided_by) == (
        "DFI",
        True,
        "Fine",
        dfi,
    )
    assert flags(stay) == (True, False)
    activity_validate(actor=dri, activity=stay, approved=True, comment="")
    assert flags(stay) == (True, True)
    assert ActivityValidation.objects.filter(activity=stay).count() == 2
    assert Notification.objects.filter(recipient=student, event="activity_validated").count() == 2


def test_a_summer_stay_counts_toward_the_fae_once_both_validated_it(dfi, dri, stay):
    plan = MobilityPlan.objects.get(pk=stay.plan_id)
    activity_validate(actor=dfi, activity=stay, approved=True, comment="")
    plan.refresh_from_db()
    assert plan.qualifying_days == 0
    assert "SUMMER_APPROVAL" in summer_findings(stay)

    activity_validate(actor=dri, activity=stay, approved=True, comment="")
    plan.refresh_from_db()
    assert plan.qualifying_days == (stay.end - stay.start).days + 1
    assert "SUMMER_APPROVAL" not in summer_findings(stay)


def test_the_latest_decision_of_a_body_wins(dfi, dri, stay):
    activity_validate(actor=dri, activity=stay, approved=True, comment="")
    activity_validate(actor=dfi, activity=stay, approved=True, comment="")
    activity_validate(actor=dri, activity=stay, approved=False, comment="Host unknown.")
    assert flags(stay) == (True, False)
    stay.plan.refresh_from_db()
    assert stay.plan.qualifying_days == 0


def test_a_refusal_needs_a_reason(dfi, stay):
    with pytest.raises(ServiceError, match="reason for the refusal"):
        activity_validate(actor=dfi, activity=stay, approved=False, comment=" ")
    assert not ActivityValidation.objects.exists()


def test_an_administrator_chooses_the_body(admin_user, stay):
    with pytest.raises(ServiceError, match="Choose the body"):
        activity_validate(actor=admin_user, activity=stay, approved=True, comment="")
    activity_validate(actor=admin_user, activity=stay, approved=True, comment="", body="DRI")
    assert flags(stay) == (False, True)


def test_staff_decide_for_their_own_body_only(dfi, stay):
    with pytest.raises(ServiceError, match="You decide for the Academic directorate"):
        activity_validate(actor=dfi, activity=stay, approved=True, comment="", body="DRI")
    assert flags(stay) == (False, False)


@pytest.mark.parametrize("who", ["student", "advisor"])
def test_students_and_advisors_are_refused(request, stay, who):
    with pytest.raises(ServiceError, match="Only the DFI and the DRI"):
        activity_validate(
            actor=request.getfixturevalue(who), activity=stay, approved=True, comment=""
        )
    assert flags(stay) == (False, False)


def test_an_activity_not_requested_or_not_validated_is_refused(student, dfi):
    with pytest.raises(ServiceError, match="has not asked"):
        activity_validate(actor=dfi, activity=summer_stay(student), approved=True, comment="")
    with pytest.raises(ServiceError, match="Only summer stays and internships abroad"):
        activity_validate(
            actor=dfi, activity=requested(semester_for(student)), approved=True, comment=""
        )
    assert not ActivityValidation.objects.exists()


def test_detail_page_shows_the_request_and_a_decision_form(client, dfi, stay):
    response = login(client, dfi).get(detail_url(stay))
    assert response.status_code == 200
    assert "body" not in response.context["form"].fields
    content = response.content.decode()
    assert "Decision of the DFI" in content
    assert 'name="decision" value="refuse"' in content


def test_dfi_validates_from_the_page(client, dfi, stay):
    response = login(client, dfi).post(detail_url(stay), {"decision": "approve", "comment": ""})
    assert response.url == detail_url(stay)
    assert messages_of(response) == ["Decision recorded; the student's plan is checked again."]
    assert flags(stay) == (True, False)


def test_admin_chooses_the_body_on_the_page(client, admin_user, stay):
    login(client, admin_user)
    assert "body" in client.get(detail_url(stay)).context["form"].fields
    client.post(detail_url(stay), {"body": "DRI", "decision": "approve"})
    assert flags(stay) == (False, True)


@pytest.mark.parametrize(
    ("data", "field"),
    [({"decision": "refuse", "comment": ""}, "comment"), ({"comment": "ok"}, "decision")],
)
def test_bad_decision_is_a_form_error_and_nothing_is_saved(client, dri, stay, data, field):
    response = login(client, dri).post(detail_url(stay), data)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not ActivityValidation.objects.exists()


def test_an_activity_without_request_is_not_found(client, dfi, student):
    assert login(client, dfi).get(detail_url(summer_stay(student))).status_code == 404


@pytest.mark.parametrize("who", ["student", "advisor"])
def test_students_and_advisors_are_forbidden(client, request, stay, who):
    login(client, request.getfixturevalue(who))
    assert client.get(detail_url(stay)).status_code == 403
    assert client.post(detail_url(stay), {"decision": "approve"}).status_code == 403
    assert flags(stay) == (False, False)


def test_anonymous_is_sent_to_login(client, stay):
    assert client.get(detail_url(stay)).url.startswith(reverse("login"))


def test_detail_queries_stay_flat(client, dfi, dri, stay, django_assert_max_num_queries):
    for index in range(15):
        activity_validate(actor=dfi, activity=stay, approved=index % 2 == 0, comment="c")
        activity_validate(actor=dri, activity=stay, approved=True, comment="")
    login(client, dfi)
    with django_assert_max_num_queries(DETAIL_MAX_QUERIES):
        response = client.get(detail_url(stay))
    assert len(response.context["state"].validations) == 30


def test_the_same_decision_sent_twice_is_recorded_once(client, dfi, stay, english):
    login(client, dfi)
    page = client.get(detail_url(stay))
    seen = page.context["form"]["seen"].value()
    assert seen is None  # no decision yet
    first = client.post(detail_url(stay), {"decision": "approve", "seen": ""})
    again = client.post(detail_url(stay), {"decision": "approve", "seen": ""})
    assert messages_of(first) == ["Decision recorded; the student's plan is checked again."]
    assert messages_of(again)[-1].startswith("A decision was recorded on this activity since")
    assert ActivityValidation.objects.filter(activity=stay).count() == 1
    assert Notification.objects.filter(event="activity_validated").count() == 1


def test_a_stale_tab_does_not_silently_reverse_a_decision(client, dfi, stay, english):
    login(client, dfi)
    stale = client.get(detail_url(stay)).context["form"]["seen"].value()
    activity_validate(actor=dfi, activity=stay, approved=True, comment="")
    client.post(detail_url(stay), {"decision": "refuse", "comment": "No.", "seen": stale or ""})
    assert flags(stay) == (True, False)
    # From the page as it now stands, the body may change its mind deliberately.
    fresh = client.get(detail_url(stay)).context["form"]["seen"].value()
    client.post(detail_url(stay), {"decision": "refuse", "comment": "No.", "seen": fresh})
    assert flags(stay) == (False, False)


def test_a_stay_changed_and_asked_for_again_since_the_page_is_read_first(
    client, dfi, student, stay, english
):
    """The DFI opened the request of a stay in Germany; the student moved it to Japan (which
    forgets the request) and asked again: the DFI's decision, taken on Germany, is refused."""
    from apps.applications import services
    from apps.reviews.services.validations import activity_request_validation

    login(client, dfi)
    form = client.get(detail_url(stay)).context["form"]
    stale = {name: form[name].value() or "" for name in ("seen", "seen_request")}
    fields = {name: getattr(stay, name) for name in services.ACTIVITY_FIELDS}
    services.activity_update(actor=student, activity=stay, fields={**fields, "country": "JP"})
    activity_request_validation(actor=student, activity=stay)
    response = client.post(detail_url(stay), {"decision": "approve", **stale})
    assert messages_of(response) == [
        "The student asked again since you opened the page, and may have changed the stay: "
        "read it below, then decide."
    ]
    assert not ActivityValidation.objects.filter(activity=stay).exists()
    assert flags(stay) == (False, False)
    # From the page as it now stands, the DFI decides on the stay in Japan.
    form = client.get(detail_url(stay)).context["form"]
    fresh = {name: form[name].value() or "" for name in ("seen", "seen_request")}
    client.post(detail_url(stay), {"decision": "approve", **fresh})
    assert flags(stay) == (True, False)


def test_a_stay_changed_since_the_page_and_not_asked_for_again_is_said_not_a_404(
    client, dfi, dri, student, stay, english
):
    """The student moved the stay to Japan (which forgets the request) and has not asked again:
    the decision sent from the page, and the link of the request, say so instead of a page
    not found; nothing is decided."""
    from apps.applications import services

    activity_validate(actor=dri, activity=stay, approved=False, comment="Which lab?")
    login(client, dfi)
    form = client.get(detail_url(stay)).context["form"]
    shown = {name: form[name].value() or "" for name in ("seen", "seen_request")}
    fields = {name: getattr(stay, name) for name in services.ACTIVITY_FIELDS}
    services.activity_update(actor=student, activity=stay, fields={**fields, "country": "JP"})
    said = (
        "The student changed this stay since asking for its validation: no decision is "
        "awaited until they ask again."
    )
    response = client.post(detail_url(stay), {"decision": "approve", "comment": "", **shown})
    assert response.url == reverse("reviews:validation_queue")
    assert messages_of(response) == [said]
    assert ActivityValidation.objects.filter(activity=stay, body="DFI").count() == 0
    assert flags(stay) == (False, False)
    assert said in client.get(response.url).content.decode()
    response = client.get(detail_url(stay))
    assert response.url == reverse("reviews:validation_queue")
    assert messages_of(response) == [said]


def test_a_refused_decision_keeps_the_comment_and_shows_the_page_as_it_stands(
    client, dfi, stay, english
):
    login(client, dfi)
    stale = client.get(detail_url(stay)).context["form"]["seen"].value()
    first = activity_validate(actor=dfi, activity=stay, approved=True, comment="")
    comment = "The host is not a laboratory: a long reason typed with care."
    response = client.post(
        detail_url(stay), {"decision": "refuse", "comment": comment, "seen": stale or ""}
    )
    assert response.status_code == 400
    assert messages_of(response)[-1].startswith("A decision was recorded on this activity since")
    assert comment in response.content.decode()
    assert response.context["state"].last_decision_id == first.pk
    # Sent again from this page, the decision is taken.
    form = response.context["form"]
    client.post(
        detail_url(stay), {"decision": "refuse", "comment": comment, "seen": form["seen"].value()}
    )
    assert flags(stay) == (False, False)
