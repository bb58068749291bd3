"""The Erasmus Without Paper export: an omobility-las get-response that validates against the
official schema (offline copy), with the same access rules as the dossier."""

from datetime import date, timedelta
from decimal import Decimal
from xml.etree import ElementTree as ET

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.applications.models import Activity, CoursePlanStatus, LineDecision
from apps.applications.services import course_plan_replace_lines
from apps.reviews.exports.ewp import NAMESPACE, TERM_NAMESPACE, load_schema
from apps.reviews.services.course_plans import course_line_decide
from tests.applications.factories import CourseLineFactory, login, messages_of
from tests.reviews.exports.builders import (
    HOST_COURSES,
    application_to,
    days_ago,
    host,
    host_accepts,
    nominate,
    version,
)

pytestmark = pytest.mark.django_db

NS = {"la": NAMESPACE, "trm": TERM_NAMESPACE}
QUANTUM = {"code": "CS4242", "title": "Quantum Computing", "ects": Decimal(5), "semester": "Spring"}
CHANGED_COURSES = [*HOST_COURSES[:2], QUANTUM]
LINE_FIELDS = (
    "code",
    "title",
    "ects",
    "semester",
    "home_requirement",
)  # Robotics Lab dropped, Quantum Computing added


def ewp_url(application, activity):
    return reverse("reviews:learning_agreement_ewp", args=[application.pk, activity.pk])


def export(client, user, application, activity) -> ET.Element:
    """Download the export as `user`, check it against the schema, return its <la>."""
    response = login(client, user).get(ewp_url(application, activity))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml"
    assert response["Content-Disposition"].startswith("attachment;")
    root = ET.fromstring(response.content)
    load_schema().validate(root)
    return root.find("la:la", NS)


def texts(element: ET.Element, path: str) -> list[str]:
    return [found.text or "" for found in element.findall(path, NS)]


def components(element: ET.Element, table: str) -> list[tuple[str, str, str]]:
    """(status, title, ECTS) of each component of `table` in `element`."""
    return [
        (
            component.get("status", ""),
            component.findtext("la:title", "", NS),
            component.findtext("la:credit/la:value", "", NS),
        )
        for component in element.findall(f"la:{table}/la:component", NS)
    ]


@pytest.fixture
def nominated(student, advisor, dri):
    """Version 1 approved by the advisor, then the nomination."""
    application, activity = application_to(student, host())
    version(activity, 1, advisor=advisor, decided=days_ago(40), sent=days_ago(45))
    nominate(application, dri, at=days_ago(30))
    return application, activity


def test_one_version_signed_by_all_three(client, student, advisor, dri, nominated):
    application, activity = nominated
    host_accepts(application, dri, at=days_ago(20))

    la = export(client, student, application, activity)

    assert la.findtext("la:omobility-id", "", NS) == f"{application.pk}-{activity.pk}"
    assert la.findtext("la:sending-hei/la:hei-id", "", NS) == "school.example"
    assert la.findtext("la:sending-hei/la:ounit-name", "", NS) == "Informatique"
    assert la.findtext("la:sending-hei/la:contact-person/la:email", "", NS) == advisor.email
    assert la.findtext("la:receiving-hei/la:hei-id", "", NS) == "tu-berlin.de"
    assert la.findtext("la:receiving-hei/la:contact-person/la:email", "", NS) == dri.email
    year = activity.start.year if activity.start.month >= 8 else activity.start.year - 1
    assert la.findtext("la:receiving-academic-year-id", "", NS) == f"{year}/{year + 1}"
    assert la.findtext("la:student/la:given-names", "", NS) == student.first_name
    assert la.findtext("la:student/la:family-name", "", NS) == student.last_name
    assert la.findtext("la:student/la:email", "", NS) == student.email
    assert la.findtext("la:start-date", "", NS) == activity.start.isoformat()
    assert la.findtext("la:end-date", "", NS) == activity.end.isoformat()
    assert texts(la, "la:student-language-skill/*") == ["en", "B2"]
    first = la.find("la:first-version", NS)
    assert components(first, "components-studied") == [
        ("", "Distributed Systems", "6"),
        ("", "Linear Algebra", "7.5"),
        ("", "Robotics Lab", "5"),
    ]
    assert [title for _s, title, _e in components(first, "components-recognized")] == [
        "Elective IN",
        "Elective MA",
        "Elective EI",
    ]
    assert texts(first, "la:components-studied/la:component[1]/la:term-id/*") == ["1", "2"]
    assert first.findtext("la:sending-hei-signature/la:signer-name", "", NS) == (
        advisor.get_full_name()
    )
    assert first.findtext("la:receiving-hei-signature/la:signer-name", "", NS) == (
        "Technische Universität Berlin"
    )
    assert first.find("la:student-signature/la:signer-name", NS) is None
    assert la.find("la:approved-changes", NS) is None
    assert la.find("la:changes-proposal", NS) is None


def test_changes_after_the_host_signed_are_a_proposal(client, student, advisor, dri, nominated):
    application, activity = nominated
    host_accepts(application, dri, at=days_ago(20))
    version(activity, 2, courses=CHANGED_COURSES, advisor=advisor, decided=days_ago(5))

    la = export(client, student, application, activity)

    assert len(components(la.find("la:first-version", NS), "components-studied")) == 3
    proposal = la.find("la:changes-proposal", NS)
    assert components(proposal, "components-studied") == [
        ("deleted", "Robotics Lab", "5"),
        ("inserted", "Quantum Computing", "5"),
    ]
    assert components(proposal, "components-recognized") == [
        ("deleted", "Elective EI", "5"),
        ("inserted", "Elective CS", "5"),
    ]
    assert proposal.find("la:receiving-hei-signature", NS) is None
    assert len(proposal.get("id")) == 64
    assert la.find("la:approved-changes", NS) is None


@pytest.mark.parametrize(
    ("start", "academic_year"),
    [
        (date(2028, 9, 1), "2028/2029"),
        (date(2028, 8, 25), "2028/2029"),
        (date(2029, 2, 1), "2028/2029"),
        (date(2029, 7, 31), "2028/2029"),
    ],
)
def test_the_academic_year_is_the_mobilitys_not_the_calls(
    client, student, advisor, dri, nominated, start, academic_year
):
    application, activity = nominated
    assert application.call.academic_year != 2028
    Activity.objects.filter(pk=activity.pk).update(start=start, end=start + timedelta(days=120))
    la = export(client, student, application, activity)
    assert la.findtext("la:receiving-academic-year-id", "", NS) == academic_year


def test_a_course_removed_after_the_host_signed_is_a_proposal(
    client, student, advisor, dri, nominated
):
    """The advisor approves the version that drops a course after the host's acceptance: the
    host has not signed it."""
    application, activity = nominated
    host_accepts(application, dri, at=days_ago(20))
    kept = [
        {name: getattr(line, name) for name in LINE_FIELDS}
        for line in activity.course_plans.get(version=1).lines.order_by("pk")[:2]
    ]
    second = course_plan_replace_lines(actor=student, activity=activity, lines=kept)
    assert (second.version, second.status) == (2, CoursePlanStatus.PENDING)
    for line in second.lines.all():
        course_line_decide(actor=advisor, line=line, approve=True, comment="")
    second.refresh_from_db()
    assert second.status == CoursePlanStatus.APPROVED

    la = export(client, student, application, activity)

    assert len(components(la.find("la:first-version", NS), "components-studied")) == 3
    assert la.find("la:approved-changes", NS) is None
    proposal = la.find("la:changes-proposal", NS)
    assert components(proposal, "components-studied") == [("deleted", "Robotics Lab", "5")]
    assert proposal.find("la:receiving-hei-signature", NS) is None
    signed = proposal.findtext("la:sending-hei-signature/la:timestamp", "", NS)
    # The timestamp is written in the school's time zone, a day ahead of UTC late at night.
    assert signed[:10] == timezone.localtime(second.decided_at).date().isoformat()


def test_changes_the_host_accepted_with_are_approved_changes(
    client, student, advisor, dri, nominated
):
    application, activity = nominated
    version(activity, 2, courses=CHANGED_COURSES, advisor=advisor, decided=days_ago(25))
    host_accepts(application, dri, at=days_ago(20))
    version(activity, 3, courses=HOST_COURSES[:1], advisor=advisor, decided=days_ago(2))

    la = export(client, student, application, activity)

    approved = la.find("la:approved-changes", NS)
    assert [(s, t) for s, t, _e in components(approved, "components-studied")] == [
        ("deleted", "Robotics Lab"),
        ("inserted", "Quantum Computing"),
    ]
    assert approved.find("la:receiving-hei-signature", NS) is not None
    proposal = la.find("la:changes-proposal", NS)
    assert [(s, t) for s, t, _e in components(proposal, "components-studied")] == [
        ("deleted", "Linear Algebra"),
        ("deleted", "Robotics Lab"),
    ]


def test_before_the_host_signs_the_latest_approved_version_is_the_proposal(
    client, student, advisor, nominated
):
    application, activity = nominated
    version(activity, 2, courses=CHANGED_COURSES, advisor=advisor, decided=days_ago(5))
    version(activity, 3, courses=HOST_COURSES[:1])  # awaiting the advisor: left out

    la = export(client, student, application, activity)

    assert la.find("la:first-version", NS) is None
    proposal = la.find("la:changes-proposal", NS)
    assert components(proposal, "components-studied") == [
        ("", "Distributed Systems", "6"),
        ("", "Linear Algebra", "7.5"),
        ("", "Quantum Computing", "5"),
    ]


@pytest.mark.parametrize("outside_partnerships", [False, True])
def test_a_host_without_ewp_id_still_validates(client, student, advisor, dri, outside_partnerships):
    application, activity = application_to(student, host(hei_id=""))
    if outside_partnerships:
        activity.partner, activity.host_name = None, "Free Mover University"
        activity.save()
        application.choices.update(agreement=None)
    version(activity, 1, advisor=advisor, decided=days_ago(40))
    nominate(application, dri, at=days_ago(30))
    host_accepts(application, dri, at=days_ago(20))

    la = export(client, student, application, activity)

    assert la.findtext("la:receiving-hei/la:hei-id", "", NS) == ""
    assert la.findtext("la:receiving-hei/la:ounit-name", "", NS) == (
        "Free Mover University" if outside_partnerships else "Technische Universität Berlin"
    )


def test_the_school_id_comes_from_the_settings(client, settings, student, nominated):
    settings.SCHOOL_HEI_ID = "telecom-paris.fr"

    la = export(client, student, *nominated)

    assert la.findtext("la:sending-hei/la:hei-id", "", NS) == "telecom-paris.fr"


def test_the_proposal_id_follows_its_content(client, student, advisor, nominated):
    application, activity = nominated

    before = export(client, student, application, activity)
    again = export(client, student, application, activity)
    version(activity, 2, courses=CHANGED_COURSES, advisor=advisor, decided=days_ago(5))
    changed = export(client, student, application, activity)

    def proposal_id(la):
        return la.find("la:changes-proposal", NS).get("id")

    assert proposal_id(before) == proposal_id(again)
    assert proposal_id(changed) != proposal_id(before)


@pytest.mark.parametrize("persona", ["advisor", "dri", "dfi"])
def test_advisor_and_staff_export_it(client, request, nominated, persona):
    la = export(client, request.getfixturevalue(persona), *nominated)

    assert la.find("la:changes-proposal", NS) is not None


@pytest.mark.parametrize("persona", ["other_student", "other_advisor"])
def test_others_get_404(client, request, nominated, persona):
    response = login(client, request.getfixturevalue(persona)).get(ewp_url(*nominated))

    assert response.status_code == 404


def test_anonymous_is_sent_to_login(client, nominated):
    response = client.get(ewp_url(*nominated))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_refused_before_nomination_and_before_any_approval(client, student):
    application, activity = application_to(student, host())
    version(activity, 1)

    response = login(client, student).get(ewp_url(application, activity))

    assert response.status_code == 302
    assert response.url == reverse("applications:application_detail", args=[application.pk])
    assert messages_of(response) == [
        "The student is not nominated to this host: there is no mobility to exchange.",
        "The study advisor has not approved a version of this course plan yet.",
    ]


def test_lines_the_advisor_rejected_are_not_exported(client, student, advisor, dri, nominated):
    application, activity = nominated
    course_plan = version(
        activity, 2, courses=CHANGED_COURSES, advisor=advisor, decided=days_ago(5)
    )
    course_plan.lines.filter(code="CS4242").update(decision=LineDecision.REJECTED)

    la = export(client, student, application, activity)

    studied = components(la.find("la:changes-proposal", NS), "components-studied")
    assert "Quantum Computing" not in [title for _s, title, _e in studied]


def test_query_count_is_flat(
    client, student, advisor, dri, nominated, django_assert_max_num_queries
):
    application, activity = nominated
    host_accepts(application, dri, at=days_ago(20))
    for number in range(2, 6):
        course_plan = version(activity, number, advisor=advisor, decided=days_ago(10 - number))
        CourseLineFactory.create_batch(
            15,
            course_plan=course_plan,
            decision=LineDecision.APPROVED,
            decided_by=advisor,
            decided_at=days_ago(10 - number),
        )
    login(client, student)

    with django_assert_max_num_queries(9):
        response = client.get(ewp_url(application, activity))

    load_schema().validate(ET.fromstring(response.content))


def json_url(application, activity):
    return reverse("reviews:learning_agreement_ewp_json", args=[application.pk, activity.pk])


def test_the_same_document_as_json(client, student, nominated):
    """Element for element the XML export: the JSON decodes back to a valid EWP document."""
    import json

    la = export(client, student, *nominated)
    response = client.get(json_url(*nominated))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"].startswith("attachment;")
    assert ".json" in response["Content-Disposition"]
    document = json.loads(response.content)
    [exported] = document["la"]
    assert exported["omobility-id"] == la.findtext("la:omobility-id", "", NS)
    assert exported["student"]["family-name"] == student.last_name
    proposal = exported["changes-proposal"]["components-studied"]["component"]
    assert [component["title"] for component in proposal] == texts(
        la, "la:changes-proposal/la:components-studied/la:component/la:title"
    )
    assert load_schema().is_valid(load_schema().encode(document))


def test_json_is_refused_like_the_xml(client, student, other_student):
    application, activity = application_to(student, host())
    version(activity, 1)
    response = login(client, student).get(json_url(application, activity))
    assert response.url == reverse("applications:application_detail", args=[application.pk])
    assert login(client, other_student).get(json_url(application, activity)).status_code == 404


def test_a_control_character_in_a_title_leaves_valid_xml_and_json(
    client, student, advisor, nominated
):
    """A vertical tab pasted from a word processor made the XML ill-formed and the JSON a 500."""
    application, activity = nominated
    version(
        activity,
        2,
        advisor=advisor,
        decided=days_ago(5),
        sent=days_ago(6),
        courses=[{"code": "CS\x0b1", "title": "Robotics\x1b Lab", "ects": 5, "semester": "Fall"}],
    )
    la = export(client, student, application, activity)
    assert "Robotics Lab" in texts(la, ".//la:component/la:title")
    assert client.get(json_url(application, activity)).status_code == 200


@pytest.mark.parametrize("url_name", ["learning_agreement_ewp", "learning_agreement_ewp_json"])
def test_the_file_is_named_after_the_latest_version_it_carries(
    client, student, nominated, url_name
):
    """Version 2 awaits the advisor: the document carries version 1 only, and says so."""
    application, activity = nominated
    version(activity, 2, courses=CHANGED_COURSES)
    response = login(client, student).get(
        reverse(f"reviews:{url_name}", args=[application.pk, activity.pk])
    )
    assert response.status_code == 200
    assert "-v1." in response["Content-Disposition"]


@pytest.mark.parametrize("host_accepted", [False, True])
def test_a_withdrawn_application_has_no_mobility_to_exchange(
    client, student, dri, nominated, host_accepted
):
    """Withdrawing keeps the nominated choice (the seat's history): the export went on offering
    an EWP learning agreement, signed by the host, for a mobility that will not happen."""
    from apps.applications.services import application_withdraw

    application, activity = nominated
    if host_accepted:
        host_accepts(application, dri, at=days_ago(20))
    application_withdraw(actor=student, application=application)

    response = login(client, dri).get(ewp_url(application, activity))

    assert response.status_code == 302
    assert response.url == reverse("applications:application_detail", args=[application.pk])
    assert messages_of(response) == [
        "The application was withdrawn: there is no mobility to exchange."
    ]
