"""The staff dossier page: everything about one application, and the decisions its state allows."""

import re

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.applications.models import (
    Application,
    ApplicationState,
    CoursePlanStatus,
    DocumentKind,
    LineDecision,
    Transition,
)
from apps.reviews.models import InternalComment
from apps.reviews.selectors_dossier import DOSSIER_RELATED, dossier_for
from tests.applications.factories import (
    ActivityFactory,
    ChoiceFactory,
    CourseLineFactory,
    CoursePlanFactory,
    DocumentFactory,
    login,
    plan_for,
)
from tests.reviews.dri.builders import decision_url, dossier_url, in_state, nominated, submitted

S = ApplicationState
# Session and user (2), the application (1), its choices, documents and history (3), the plan
# and its activities (2), course plan versions and their lines (2), internal comments (1),
# the notifications bell (1); the nominate form's choices are the prefetched ones. Measured: 12,
# with one row of each list as with eight (the staff idle timeout writes the session at most
# once a minute).
DOSSIER_MAX_QUERIES = 12
ALL_DECISIONS = (
    "take",
    "request_changes",
    "nominate",
    "refuse",
    "host_decision",
    "departed",
    "returned",
    "score",
)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def decisions_offered(response) -> set[str]:
    content = response.content.decode()
    return {
        name
        for name in ALL_DECISIONS
        if decision_url(name, response.context["application"]) in content
    }


def test_dri_sees_the_whole_dossier(client, dri, student, advisor):
    application = submitted(student)
    activity = application.choices.get().activity
    course_plan = activity.course_plans.get()
    course_plan.status = CoursePlanStatus.CHANGES_REQUESTED  # the advisor rejected a line
    course_plan.save(update_fields=["status"])
    CourseLineFactory(
        course_plan=course_plan,
        code="ROB101",
        decision=LineDecision.REJECTED,
        decision_comment="Too close to our own robotics course.",
        decided_by=advisor,
    )
    CoursePlanFactory(activity=activity, version=2, status=CoursePlanStatus.PENDING)
    InternalComment.objects.create(application=application, author=dri, text="Strong file.")
    response = login(client, dri).get(dossier_url(application))
    assert response.status_code == 200
    content = response.content.decode()
    profile = student.student_profile
    for shown in (
        profile.student_number,
        profile.get_track_display(),
        profile.get_year_display(),
        profile.filiere.name,
        str(advisor),
        student.email,
        'data-rule="NON_PARTNER_COSTS"',  # the findings as submitted
        'class="plan-timeline"',
        "ROB101",
        "Too close to our own robotics course.",
        "Version 2",
        "Strong file.",
        reverse("reviews:dossier_comment", args=[application.pk]),
    ):
        assert shown in content, shown
    for document in application.documents.all():
        assert reverse("applications:document_download", args=[document.pk]) in content
    assert [row.kind for row in response.context["documents"]] == [
        DocumentKind.CV,
        DocumentKind.TRANSCRIPT,
        DocumentKind.LANGUAGE_CERTIFICATE,
        DocumentKind.LEARNING_AGREEMENT,
    ]
    assert [t.to_state for t in response.context["application"].history.all()] == [S.SUBMITTED]
    [history] = response.context["course_plans"]
    assert [version.version for version in history.versions] == [2, 1]


@pytest.mark.parametrize("persona", ["dri", "dfi"])
def test_the_learning_agreement_and_its_ewp_exports_are_linked(client, request, student, persona):
    application = nominated(student)
    activity = application.choices.get().activity
    CourseLineFactory(course_plan=activity.course_plans.get())
    activity.course_plans.update(status=CoursePlanStatus.PENDING)
    response = login(client, request.getfixturevalue(persona)).get(dossier_url(application))
    content = response.content.decode()
    for name in ("learning_agreement_pdf", "learning_agreement_ewp", "learning_agreement_ewp_json"):
        assert reverse(f"reviews:{name}", args=[application.pk, activity.pk]) in content, name


def test_a_course_plan_never_sent_has_no_learning_agreement_link(client, dri, student):
    application = submitted(student)
    activity = application.choices.get().activity
    assert activity.course_plans.get().status == CoursePlanStatus.DRAFT
    content = login(client, dri).get(dossier_url(application)).content.decode()
    assert reverse("reviews:learning_agreement_pdf", args=[application.pk, activity.pk]) not in (
        content
    )


@pytest.mark.parametrize(
    ("state", "offered"),
    [
        (S.SUBMITTED, {"take", "request_changes", "nominate", "refuse", "score"}),
        (S.UNDER_REVIEW, {"request_changes", "nominate", "refuse", "score"}),
        (S.NOMINATED, {"host_decision", "score"}),
        (S.ACCEPTED, {"departed", "score"}),
        (S.IN_MOBILITY, {"returned", "score"}),
        (S.REFUSED, {"score"}),
    ],
)
def test_the_decisions_follow_the_state(client, dri, student, state, offered):
    application = in_state(submitted(student), state)
    response = login(client, dri).get(dossier_url(application))
    assert decisions_offered(response) == offered


def test_the_host_decision_form_uploads_its_letter(client, dri, student):
    response = login(client, dri).get(dossier_url(nominated(student)))
    assert 'enctype="multipart/form-data"' in response.content.decode()


def test_dfi_reads_without_deciding_or_commenting(client, dfi, student):
    application = submitted(student)
    response = login(client, dfi).get(dossier_url(application))
    assert response.status_code == 200
    assert decisions_offered(response) == set()
    content = response.content.decode()
    assert "decisions are taken by the international relations office" in content
    assert reverse("reviews:dossier_comment", args=[application.pk]) not in content


@pytest.mark.parametrize("persona", ["student", "other_student", "advisor"])
def test_students_and_advisors_are_refused(client, request, persona, student):
    application = submitted(student)
    response = login(client, request.getfixturevalue(persona)).get(dossier_url(application))
    assert response.status_code == 403


def test_anonymous_is_sent_to_login(client, student):
    assert client.get(dossier_url(submitted(student))).url.startswith(reverse("login"))


def test_an_unknown_dossier_is_404(client, dri):
    assert login(client, dri).get(reverse("reviews:dossier", args=[999999])).status_code == 404


def test_an_unchanged_plan_shows_only_the_findings_as_submitted(client, dri, student):
    response = login(client, dri).get(dossier_url(submitted(student)))
    assert response.context["plan"].changed_since_submission is False
    assert "Regulations check of the plan as it stands now" not in response.content.decode()


def test_a_plan_changed_since_submission_shows_its_current_findings(client, dri, student):
    application = submitted(student)
    ActivityFactory(plan=plan_for(student), kind="exchange_semester", country="FR", ects=3)
    response = login(client, dri).get(dossier_url(application))
    plan = response.context["plan"]
    assert plan.changed_since_submission is True
    content = response.content.decode()
    assert "The student changed the plan after submitting" in content
    assert any(f.severity == "error" for _activity, fs in plan.findings_by_activity for f in fs)
    assert "finding-error" in content


def test_findings_are_shown_in_the_readers_language(client, dri, student):
    application = submitted(student)
    client.force_login(dri)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "fr"
    snapshot = client.get(dossier_url(application)).context["snapshot"]
    french = application.snapshot["results"]["fr"]["findings"]
    assert [f["message"] for f in snapshot["findings"]] == [f["message"] for f in french]
    assert french[0]["message"] != application.snapshot["results"]["en"]["findings"][0]["message"]


def test_the_timeline_keeps_decimal_points_in_french(client, dri, student):
    client.force_login(dri)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "fr"
    content = client.get(dossier_url(submitted(student))).content.decode()
    start = content.index('class="plan-timeline"')
    svg = content[start : content.index("</svg>", start)]
    assert 'x="10.0"' in svg
    assert re.search(r'="[0-9.]*,[0-9]', svg) is None


def bigger_dossier(student, dri, advisor, size: int):
    """A dossier with `size` of everything that is a list on the page."""
    application = submitted(student)
    for rank in range(2, size + 2):
        ChoiceFactory(application=application, rank=rank)
    for kind in (DocumentKind.HOST_LETTER, DocumentKind.HOST_TRANSCRIPT):
        DocumentFactory(application=application, kind=kind)
    for index in range(size):
        Transition.objects.create(
            application=application, actor=dri, from_state=S.SUBMITTED, to_state=S.SUBMITTED
        )
        InternalComment.objects.create(application=application, author=dri, text=f"Note {index}")
    for choice in application.choices.all():
        for version in range(2, size + 2):
            course_plan = CoursePlanFactory(activity=choice.activity, version=version)
            for _index in range(size):
                CourseLineFactory(course_plan=course_plan, decided_by=advisor)
    return application


@pytest.mark.usefixtures("pages_rendered_each_time")
def test_dossier_queries_do_not_grow_with_its_lists(
    client, dri, student, other_student, advisor, django_assert_max_num_queries
):
    small = bigger_dossier(student, dri, advisor, 1)
    big = bigger_dossier(other_student, dri, advisor, 8)
    login(client, dri).get(dossier_url(small))  # the session's first page writes more
    with CaptureQueriesContext(connection) as few:
        client.get(dossier_url(small))
    with (
        django_assert_max_num_queries(DOSSIER_MAX_QUERIES),
        CaptureQueriesContext(connection) as many,
    ):
        response = client.get(dossier_url(big))
    assert response.status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)


def test_a_course_plan_the_student_has_not_sent_is_not_shown(client, dri, student):
    """An unsent version is the student's alone (as on the application page and in the
    export): staff saw it as "Version 1 · Draft — No course in this version"."""
    application = submitted(student)
    activity = application.choices.get().activity
    activity.course_plans.update(status=CoursePlanStatus.PENDING)
    CoursePlanFactory(activity=activity, version=2, status=CoursePlanStatus.DRAFT)
    response = login(client, dri).get(dossier_url(application))
    [history] = response.context["course_plans"]
    assert [version.version for version in history.versions] == [1]


def test_what_people_typed_is_escaped_in_the_rows_written_in_python(client, dri, advisor):
    """The history's and the course plans' rows are written in Python: escaped as the
    template escaped them, line breaks kept."""
    application = submitted()
    Transition.objects.create(
        application=application,
        actor=dri,
        from_state=S.SUBMITTED,
        to_state=S.SUBMITTED,
        comment="<b>bold</b>\n& more",
    )
    activity = application.choices.get().activity
    CourseLineFactory(
        course_plan=CoursePlanFactory(
            activity=activity, version=2, status=CoursePlanStatus.PENDING
        ),
        title="<i>Signals</i>",
        decision_comment="<script>x</script>",
        decided_by=advisor,
    )
    content = login(client, dri).get(dossier_url(application)).content.decode()
    assert "&lt;b&gt;bold&lt;/b&gt;<br>&amp; more" in content
    assert "&lt;i&gt;Signals&lt;/i&gt;" in content
    assert "&lt;script&gt;x&lt;/script&gt;" in content
    assert "<b>bold" not in content and "<i>Signals" not in content and "<script>x" not in content


def test_the_dossier_is_loaded_with_its_related_rows_as_the_orm_loads_them(dri, advisor):
    """Staff who see every dossier load it through SQL compiled once (RowByKey)."""
    application = submitted()
    profile = application.student.student_profile
    profile.advisor = advisor
    profile.save()
    loaded = dossier_for(dri, application.pk)
    expected = Application.objects.select_related(*DOSSIER_RELATED).get(pk=application.pk)
    with CaptureQueriesContext(connection) as queries:
        assert loaded == expected and loaded.call == expected.call
        assert loaded.student.student_profile.advisor == advisor
        assert loaded.student.student_profile.filiere == expected.student.student_profile.filiere
        assert loaded.submitted_at == expected.submitted_at
        assert loaded.snapshot == expected.snapshot
    assert len(queries) == 0
    with pytest.raises(Http404):
        dossier_for(dri, application.pk + 1000)
