"""A publication at the same moment as a submission or another publication (PostgreSQL row
locks): a submitted plan is checked under the version it keeps, and the plans end under the
current version."""

import os

import pytest

from apps.applications import services as student_services
from apps.applications.models import Application, ApplicationState, MobilityPlan
from apps.reviews.services.regulations import regulation_publish
from apps.rules import VERSIONS
from apps.rules.published import current_regulations
from apps.rules.versions import PARAMETERS
from tests.applications.factories import complete_application
from tests.applications.plan_helpers import add_activity
from tests.factories import StudentProfileFactory, UserFactory
from tests.security.test_concurrency import race

pytestmark = [
    pytest.mark.skipif(
        os.environ.get("REQUIRE_SERVICES") != "1"
        and not os.environ.get("DATABASE_URL", "").startswith(("postgres", "pgsql")),
        reason="row locks need PostgreSQL (set DATABASE_URL; CI always does)",
    ),
    pytest.mark.django_db(transaction=True),
]


def figures(**changes) -> dict[str, int]:
    return {**{name: getattr(VERSIONS["2024"], name) for name in PARAMETERS}, **changes}


@pytest.mark.parametrize("attempt", range(3))
def test_a_submission_during_a_publication_is_checked_under_the_version_its_plan_keeps(
    attempt,
):
    dri = UserFactory(role="dri")
    student = StudentProfileFactory().user
    application = complete_application(student)

    outcomes = race(
        lambda: student_services.application_submit(
            actor=student, application=Application.objects.get(pk=application.pk)
        ),
        lambda: regulation_publish(
            actor=dri,
            name="2025",
            figures=figures(fise_minimum_weeks=20),
            note="x",
            based_on="2024",
        ),
    )

    assert outcomes == ["applied", "applied"]
    application.refresh_from_db()
    assert application.state == ApplicationState.SUBMITTED
    plan = MobilityPlan.objects.get(student=student)
    assert application.snapshot["plan"]["regulation"] == plan.regulation


def test_two_publications_at_once_leave_the_plans_under_the_current_version():
    student = StudentProfileFactory().user
    add_activity(student)
    first, second = UserFactory(role="dri"), UserFactory(role="dri")

    outcomes = race(
        lambda: regulation_publish(
            actor=first,
            name="2025",
            figures=figures(fise_minimum_weeks=20),
            note="A",
            based_on="2024",
        ),
        lambda: regulation_publish(
            actor=second,
            name="2026",
            figures=figures(fise_minimum_weeks=21),
            note="B",
            based_on="2024",
        ),
    )

    assert sorted(outcomes) == ["applied", "refused"]  # compared with 2024, now outdated
    current = current_regulations(fresh=True).current
    assert MobilityPlan.objects.get(student=student).regulation == current
