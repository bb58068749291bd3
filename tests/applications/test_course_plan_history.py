"""The student reads the earlier versions of their course plan: which host each listed courses
of, when it was sent, what became of it and what the advisor decided on each line; one version
read only, with its learning agreement. Only their own, in a flat number of queries."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.applications import services
from apps.applications.models import (
    ActivityKind,
    ApplicationState,
    CoursePlanStatus,
    LineDecision,
)
from apps.reviews.models import InternalComment
from apps.reviews.services.course_plans import course_line_decide
from tests.applications.factories import (
    ApplicationFactory,
    ChoiceFactory,
    CourseLineFactory,
    CoursePlanFactory,
    login,
    semester_for,
)
from tests.applications.plan_helpers import add_activity

pytestmark = pytest.mark.django_db

SENT = timezone.make_aware(timezone.datetime(2027, 3, 14, 10, 0))


def history_url(activity):
    return reverse("applications:course_plan_history", args=[activity.pk])


def version_url(activity, number):
    return reverse("applications:course_plan_version", args=[activity.pk, number])


def edit_url(activity):
    return reverse("applications:course_plan_edit", args=[activity.pk])


def text_of(response) -> str:
    """The page's words, tags left out and white space collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def version(activity, number, status, *, host_name=None, sent=SENT, lines=()):
    """Version `number` of the activity's course plan with `lines` (field overrides each)."""
    course_plan = CoursePlanFactory(
        activity=activity,
        version=number,
        status=status,
        sent_at=None if status == CoursePlanStatus.DRAFT else sent,
        **({"host_name": host_name} if host_name is not None else {}),
    )
    for fields in lines:
        CourseLineFactory(course_plan=course_plan, **fields)
    return course_plan


@pytest.fixture
def semester(student):
    return semester_for(student, host_name="TU Berlin")


@pytest.fixture
def history(semester, advisor):
    """Four versions: approved at the host the stay left, lines rejected, replaced before a
    decision, and the latest, awaiting the advisor."""
    decided = {"decided_by": advisor, "decided_at": SENT + timedelta(days=2)}
    version(
        semester,
        1,
        CoursePlanStatus.APPROVED,
        host_name="Politecnico di Milano",
        lines=[{"code": "PM101", "decision": LineDecision.APPROVED, **decided}],
    )
    version(
        semester,
        2,
        CoursePlanStatus.CHANGES_REQUESTED,
        sent=SENT + timedelta(days=10),
        lines=[
            {"code": "TB201", "ects": 6, "decision": LineDecision.APPROVED, **decided},
            {
                "code": "TB202",
                "ects": Decimal("7.5"),
                "decision": LineDecision.REJECTED,
                "decision_comment": "Send the syllabus, please.",
                **decided,
            },
        ],
    )
    version(
        semester,
        3,
        CoursePlanStatus.PENDING,
        sent=SENT + timedelta(days=20),
        lines=[{"code": "TB203"}],
    )
    version(
        semester,
        4,
        CoursePlanStatus.PENDING,
        sent=SENT + timedelta(days=30),
        lines=[{"code": "TB204"}],
    )
    return semester


# --- 1. the list of earlier versions -------------------------------------------------------


def test_history_lists_each_earlier_version_with_its_host_date_and_state(client, student, history):
    response = login(client, student).get(history_url(history))

    assert response.status_code == 200
    assert [row.course_plan.version for row in response.context["versions"]] == [3, 2, 1]
    text = text_of(response)
    assert "Version 4" not in text  # the latest is the course plan page's
    # Each section read from its heading: number, host, day sent, state.
    assert "Version 3 Courses at TU Berlin · sent on 03/04/2027 Replaced before a decision" in text
    assert "Version 2 Courses at TU Berlin · sent on 24/03/2027 Some courses refused" in text
    assert "Version 1 Courses at Politecnico di Milano · sent on 14/03/2027 Approved" in text


def test_each_line_shows_the_advisor_s_decision_and_comment(client, student, history):
    response = login(client, student).get(history_url(history))

    text = text_of(response)
    assert "TB201 — Course" in text
    rejected = text[text.index("TB202") :]
    assert rejected.split(" Send the syllabus")[0].endswith("7.5 Rejected")
    assert "Send the syllabus, please." in rejected


def test_the_student_reads_no_more_of_a_version_than_on_the_course_plan_page(
    client, student, advisor, dri, history
):
    """Who decided and when, the credits obtained and the staff's internal notes are not on
    the student's course plan page: not in its history either."""
    history.course_plans.get(version=2).lines.update(ects_obtained=Decimal("4.5"))
    application = ApplicationFactory(student=student)
    ChoiceFactory(application=application, activity=history)
    InternalComment.objects.create(application=application, author=dri, text="Weak file.")
    advisor.first_name, advisor.last_name = "Ada", "Advisor"
    advisor.save()

    for url in (history_url(history), version_url(history, 2)):
        html = login(client, student).get(url).content.decode()
        assert "Ada Advisor" not in html
        assert advisor.email not in html
        assert "4.5" not in html
        assert "Weak file." not in html


def test_a_version_never_sent_shows_no_decision(client, student, semester):
    """A draft left behind when the stay moved: the student's alone, decided by nobody."""
    version(semester, 1, CoursePlanStatus.DRAFT, host_name="Old Host", lines=[{"code": "OH1"}])
    version(semester, 2, CoursePlanStatus.DRAFT)

    response = login(client, student).get(history_url(semester))

    text = text_of(response)
    assert "Courses at Old Host · not sent to your advisor Draft" in text
    assert "OH1 — Course" in text
    assert "Advisor's decision" not in text
    assert "Awaiting decision" not in text


def test_history_of_the_decisions_made_through_the_services(client, student, advisor):
    """The student sends, the advisor rejects a course and says why, the student changes it,
    then changes it again before the advisor decides: three versions, two earlier ones."""
    activity = add_activity(student)
    # A submitted application wants the stay: the advisor decides only such a stay's plan.
    application = ApplicationFactory(student=student, state=ApplicationState.SUBMITTED)
    ChoiceFactory(application=application, activity=activity)
    first = {
        "code": "DD2380",
        "title": "Artificial Intelligence",
        "ects": Decimal(7),
        "semester": "Fall",
        "home_requirement": "AI elective",
    }
    course_plan = services.course_plan_replace_lines(
        actor=student, activity=activity, lines=[first]
    )
    services.course_plan_send(course_plan)
    course_line_decide(
        actor=advisor, line=course_plan.lines.get(), approve=False, comment="Too short."
    )
    second = {**first, "ects": Decimal(8)}
    services.course_plan_replace_lines(actor=student, activity=activity, lines=[second])
    services.course_plan_replace_lines(
        actor=student, activity=activity, lines=[{**second, "ects": Decimal(9)}]
    )

    response = login(client, student).get(history_url(activity))

    rows = response.context["versions"]
    assert [row.course_plan.version for row in rows] == [2, 1]
    text = text_of(response)
    assert "Version 2 Courses at TU Berlin" in text
    assert "Replaced before a decision" in text
    assert "Some courses refused" in text
    assert "Too short." in text


def test_the_course_plan_page_links_its_history_once_there_is_one(client, student, semester):
    version(semester, 1, CoursePlanStatus.PENDING, lines=[{"code": "A1"}])
    login(client, student)
    assert history_url(semester) not in client.get(edit_url(semester)).content.decode()

    version(semester, 2, CoursePlanStatus.PENDING, lines=[{"code": "A1"}])
    assert history_url(semester) in client.get(edit_url(semester)).content.decode()


def test_a_history_without_an_earlier_version_says_so(client, student, semester):
    version(semester, 1, CoursePlanStatus.PENDING, lines=[{"code": "A1"}])
    response = login(client, student).get(history_url(semester))
    assert response.status_code == 200
    assert "Your course plan has no earlier version." in text_of(response)


def test_an_activity_other_than_a_study_stay_has_no_course_plan_history(client, student):
    summer = semester_for(student, kind=ActivityKind.SUMMER_STAY, summer_type="summer_school")
    response = login(client, student).get(history_url(summer))
    assert response.status_code == 302
    assert response.url == reverse("applications:plan")


# --- 2. one earlier version, read only --------------------------------------------------------


def test_an_earlier_version_reads_with_its_lines_total_and_decisions(client, student, history):
    response = login(client, student).get(version_url(history, 2))

    assert response.status_code == 200
    html = response.content.decode()
    text = text_of(response)
    assert "Course plan, version 2" in text
    assert "An earlier version of your course plan, kept as it was: read only." in text
    assert "Courses at TU Berlin · sent on 24/03/2027 Some courses refused" in text
    # 6 + 7.5, the rejected 7.5 left out, against the 30 ECTS of the semester.
    assert "6 of 30 ECTS" in text
    assert "TB202 — Course" in text and "Fall 2027 Electives Rejected" in text
    assert "Send the syllabus, please." in text
    # Read only: nothing to change, nothing to send.
    main = html[html.index("<main") : html.index("</main>")]
    assert "<form" not in main and "<input" not in main


def test_the_latest_version_reads_too_and_sends_to_its_page(client, student, history):
    response = login(client, student).get(version_url(history, 4))
    assert response.status_code == 200
    assert "This is the latest version of your course plan." in text_of(response)
    assert f'href="{edit_url(history)}"' in response.content.decode()


def test_a_version_that_does_not_exist_is_not_found(client, student, history):
    assert login(client, student).get(version_url(history, 9)).status_code == 404


def test_the_learning_agreement_of_an_earlier_version_prints_by_its_number(
    client, student, history
):
    application = ApplicationFactory(student=student)
    ChoiceFactory(application=application, activity=history)
    pdf = reverse("reviews:learning_agreement_version_pdf", args=[application.pk, history.pk, 2])

    login(client, student)
    assert f'href="{pdf}"' in client.get(version_url(history, 2)).content.decode()
    assert f'href="{pdf}"' in client.get(history_url(history)).content.decode()
    # The export lets the student print it (or says why this server cannot).
    response = client.get(pdf)
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert "-v2.pdf" in response["Content-Disposition"]


def test_no_learning_agreement_link_without_an_application_choosing_the_stay(
    client, student, history
):
    html = login(client, student).get(version_url(history, 2)).content.decode()
    assert "learning-agreement" not in html


# --- 3. queries ------------------------------------------------------------------------------


# Session, user, activity with its plan, versions, their lines, the application the learning
# agreement prints through, the navigation's unread notifications.
PAGE_MAX_QUERIES = 7


def queries_of(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.usefixtures("pages_rendered_each_time")
def test_the_pages_cost_the_same_queries_for_one_or_five_versions(client, student):
    application = ApplicationFactory(student=student)
    login(client, student)
    counts = []
    for versions in (1, 5):
        activity = semester_for(student)
        ChoiceFactory(application=application, activity=activity)
        for number in range(1, versions + 2):  # and the latest, which the history leaves out
            version(
                activity,
                number,
                CoursePlanStatus.CHANGES_REQUESTED,
                lines=[{"decision": LineDecision.REJECTED, "decision_comment": "No."}] * versions,
            )
        pages = (history_url(activity), version_url(activity, 1))
        counts.append(tuple(queries_of(client, url) for url in pages))
    assert counts[0] == counts[1]
    assert max(counts[1]) <= PAGE_MAX_QUERIES


# --- 4. access -------------------------------------------------------------------------------


@pytest.mark.parametrize("page", ["history", "version"])
def test_another_student_does_not_find_them(client, other_student, history, page):
    url = history_url(history) if page == "history" else version_url(history, 1)
    assert login(client, other_student).get(url).status_code == 404


@pytest.mark.parametrize("page", ["history", "version"])
def test_staff_read_versions_on_their_own_pages(client, advisor, dri, history, page):
    """The student's pages are the student's: the advisor and the office read every version
    on the advisor's page and the dossier, which stay as they were."""
    url = history_url(history) if page == "history" else version_url(history, 1)
    for reader in (advisor, dri):
        assert login(client, reader).get(url).status_code == 403
    first = history.course_plans.get(version=1)
    response = login(client, advisor).get(reverse("reviews:advisor_course_plan", args=[first.pk]))
    assert response.status_code == 200


def test_anonymous_people_are_sent_to_log_in(client, history):
    response = client.get(history_url(history))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


# --- 5. languages and markup -----------------------------------------------------------------


def test_in_french_by_default(client, student, history):
    client.force_login(student)  # no language asked for: the portal's own, French
    response = client.get(history_url(history))
    assert response.status_code == 200
    text = text_of(response)
    assert "Version 3 Cours à TU Berlin · envoyée le 03/04/2027 Remplacée avant décision" in text
    assert "Certains cours refusés" in text


def test_tables_have_a_caption_and_headers_and_scroll_in_their_own_box(client, student, history):
    """On the narrowest phone (320 px) a table scrolls inside its box, never the page."""
    for url in (history_url(history), version_url(history, 2)):
        html = login(client, student).get(url).content.decode()
        tables = re.findall(r"<table.*?</table>", html, re.S)
        assert tables
        for table in tables:
            assert "<caption" in table
            assert '<th scope="col"' in table and '<th scope="row"' in table
        assert html.count('class="table-responsive"') == len(tables)
