"""The printable learning agreement: a PDF attachment for the student, their advisor and staff."""

import io
import sys
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from apps.applications.models import LineDecision
from tests.applications.factories import (
    ActivityFactory,
    ChoiceFactory,
    CourseLineFactory,
    login,
    messages_of,
    plan_for,
)
from tests.reviews.exports.builders import application_to, days_ago, host, nominate, version

pytestmark = pytest.mark.django_db


@pytest.fixture
def agreement(student, advisor, dri):
    application, activity = application_to(student, host())
    version(activity, 1, advisor=advisor, decided=days_ago(20))
    nominate(application, dri, at=days_ago(10))
    version(
        activity,
        2,
        courses=[{"code": "CS4242", "title": "Quantum Computing", "ects": 5, "semester": "Spring"}],
    )
    return application, activity


def pdf_url(application, activity, number=None):
    if number is None:
        return reverse("reviews:learning_agreement_pdf", args=[application.pk, activity.pk])
    return reverse(
        "reviews:learning_agreement_version_pdf", args=[application.pk, activity.pk, number]
    )


def pdf_text(response) -> str:
    """The document's words, each run of white space one space (table cells wrap lines)."""
    reader = PdfReader(io.BytesIO(response.content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def test_student_downloads_the_latest_version(client, student, agreement):
    response = login(client, student).get(pdf_url(*agreement))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "-v2.pdf" in response["Content-Disposition"]
    text = pdf_text(response)
    assert student.get_full_name() in text
    assert "Quantum Computing" in text
    assert "Technische Universität Berlin" in text


def test_an_earlier_version_with_its_approvals(client, student, advisor, dri, agreement):
    response = login(client, student).get(pdf_url(*agreement, number=1))

    assert response.status_code == 200
    text = pdf_text(response)
    assert "Distributed Systems" in text
    assert "Quantum Computing" not in text
    assert "18.5" in text  # the total
    assert advisor.get_full_name() in text
    assert dri.get_full_name() in text  # the nomination


def test_the_total_leaves_rejected_courses_out(client, student, advisor, agreement):
    """18.5 ECTS in version 1, the 7.5 of Linear Algebra rejected: 11 ECTS agreed."""
    application, activity = agreement
    first = activity.course_plans.get(version=1)
    first.lines.filter(code="MA1001").update(
        decision=LineDecision.REJECTED, decision_comment="Already taken"
    )

    text = pdf_text(login(client, student).get(pdf_url(*agreement, number=1)))

    assert "Total, rejected courses left out 11 " in text
    assert "18.5" not in text


def test_a_long_word_wraps_instead_of_pushing_columns_off_the_page(client, student, agreement):
    application, activity = agreement
    CourseLineFactory(
        course_plan=activity.course_plans.get(version=2),
        code="MSC-MECH-2027-WERKSTOFF-VERTIEFUNG-BLOCK-A",
        title="Werkstoffwissenschaftengrundlagenvertiefungspraktikum" * 2,
        semester="Wintersemester2027/28Blockkurs",  # 30 characters, the most it holds
    )
    reader = PdfReader(io.BytesIO(login(client, student).get(pdf_url(*agreement)).content))
    starts = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            starts.append(tm[4] * cm[0] + cm[4])  # where each run of text begins, across

    for page in reader.pages:
        page.extract_text(visitor_text=visit)
    assert max(starts) < float(reader.pages[0].mediabox.width)


@pytest.mark.parametrize("persona", ["advisor", "dri", "dfi"])
def test_advisor_and_staff_download_it(client, request, agreement, persona):
    response = login(client, request.getfixturevalue(persona)).get(pdf_url(*agreement))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"


@pytest.mark.parametrize("persona", ["other_student", "other_advisor"])
def test_others_get_404(client, request, agreement, persona):
    response = login(client, request.getfixturevalue(persona)).get(pdf_url(*agreement))

    assert response.status_code == 404


def test_a_version_that_does_not_exist_is_404(client, student, agreement):
    response = login(client, student).get(pdf_url(*agreement, number=7))

    assert response.status_code == 404


def test_anonymous_is_sent_to_login(client, agreement):
    url = pdf_url(*agreement)

    response = client.get(url)

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_without_weasyprint_the_reader_is_told_and_sent_back(
    client, student, agreement, monkeypatch
):
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # importing it now fails
    application, _activity = agreement

    response = login(client, student).get(pdf_url(*agreement))

    assert response.status_code == 302
    assert response.url == reverse("applications:application_detail", args=[application.pk])
    assert messages_of(response) == [
        "Printing to PDF is not available on this server; ask the IT team."
    ]


def test_query_count_is_flat(client, student, agreement, django_assert_max_num_queries):
    application, activity = agreement
    CourseLineFactory.create_batch(30, course_plan=activity.course_plans.get(version=2))
    login(client, student)

    with django_assert_max_num_queries(9):
        response = client.get(pdf_url(application, activity))

    assert "Quantum Computing" in pdf_text(response)


@pytest.mark.parametrize("persona", ["advisor", "dri"])
def test_a_version_the_student_has_not_sent_stays_theirs(
    client, request, student, agreement, persona
):
    """Drafts stay private, as the advisor's pages promise: others get the latest version
    sent, and the draft's own address is a 404."""
    from apps.applications.models import CoursePlanStatus

    application, activity = agreement
    draft = version(
        activity,
        3,
        courses=[{"code": "SECRET1", "title": "Unsent Idea", "ects": 5, "semester": "Spring"}],
    )
    type(draft).objects.filter(pk=draft.pk).update(status=CoursePlanStatus.DRAFT, sent_at=None)
    reader = login(client, request.getfixturevalue(persona))
    latest = reader.get(pdf_url(*agreement))
    assert "-v2.pdf" in latest["Content-Disposition"]
    assert "Unsent Idea" not in pdf_text(latest)
    assert reader.get(pdf_url(*agreement, number=3)).status_code == 404
    own = login(client, student).get(pdf_url(*agreement))
    assert "Unsent Idea" in pdf_text(own)


def test_a_withdrawn_application_is_printed_as_withdrawn(client, student, dri, agreement):
    """The nomination no longer holds once the student withdrew: the printed agreement said
    they were nominated to the host, as if the mobility were still on."""
    from apps.applications.services import application_withdraw

    application, _activity = agreement
    application_withdraw(actor=student, application=application)

    text = pdf_text(login(client, dri).get(pdf_url(*agreement, number=1)))

    assert "International relations office: application withdrawn" in text
    assert "nominated to the host" not in text


def test_ordinary_course_codes_and_totals_are_printed_whole(client, student, agreement):
    """The columns shrank to a letter's width wherever a word may break: "IN2010" was printed
    as "IN201" above "0", and "7.5" could be split the same way."""
    text = pdf_text(login(client, student).get(pdf_url(*agreement, number=1)))

    for code in ("IN2010", "MA1001", "EI3000"):
        assert f" {code} " in text
    assert " Distributed Systems " in text


def test_two_mobilities_of_one_student_make_two_file_names(client, student, advisor, agreement):
    """Named after the student number and the version only, the agreements of a student's two
    study activities downloaded under one name, the second overwriting the first."""
    application, _activity = agreement
    second = ActivityFactory(plan=plan_for(student), partner=host(name="KTH", hei_id="kth.se"))
    ChoiceFactory(application=application, rank=2, activity=second)
    version(second, 1, advisor=advisor, decided=days_ago(5))
    login(client, student)

    names = {
        client.get(pdf_url(application, activity, number=1))["Content-Disposition"]
        for activity in (_activity, second)
    }

    assert len(names) == 2


def test_in_french_the_period_writes_the_first_of_the_month_as_french_does(
    client, student, agreement
):
    application, activity = agreement
    type(activity).objects.filter(pk=activity.pk).update(
        start=activity.start.replace(day=1), end=activity.end.replace(day=21)
    )
    client.force_login(student)
    text = pdf_text(client.get(pdf_url(application, activity), HTTP_ACCEPT_LANGUAGE="fr"))
    assert " 1er " in text
    assert "du 1 " not in text


def test_in_french_the_day_it_is_printed_writes_the_first_of_the_month_as_french_does(
    client, student, agreement, monkeypatch
):
    client.force_login(student)
    first = datetime(2026, 12, 1, 9, 30, tzinfo=ZoneInfo("Europe/Paris"))
    monkeypatch.setattr(timezone, "now", lambda: first)
    text = pdf_text(client.get(pdf_url(*agreement), HTTP_ACCEPT_LANGUAGE="fr"))
    assert "imprimé le 1er décembre 2026" in text


def test_in_english_every_date_is_written_day_first(client, student, agreement, monkeypatch):
    """The English agreement read "printed on Dec. 1, 2026" and "from Sept. 1, 2027": its
    readers, mostly international students and staff, write the day first."""
    application, activity = agreement
    type(activity).objects.filter(pk=activity.pk).update(
        start=activity.start.replace(month=9, day=1), end=activity.start.replace(month=12, day=21)
    )
    client.force_login(student)
    printed = datetime(2026, 12, 1, 9, 30, tzinfo=ZoneInfo("Europe/Paris"))
    monkeypatch.setattr(timezone, "now", lambda: printed)
    text = pdf_text(client.get(pdf_url(application, activity), HTTP_ACCEPT_LANGUAGE="en"))
    assert "printed on 1 December 2026" in text
    year = activity.start.year
    assert f"from 1 September {year} to 21 December {year}" in text
