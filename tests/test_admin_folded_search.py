"""The admin's other searches leave accents and case aside as the partner's does
(mobility_portal/search.py, FoldedSearchMixin): "lea" did not find "Léa" among the users,
the student profiles, the plans or the applications, nor "francais" "Français" among the
languages, nor "genie" "Génie" among the fields of study and the calls."""

import pytest
from django.urls import reverse

from apps.applications.models import MobilityPlan
from tests.applications.factories import ApplicationFactory
from tests.factories import (
    CallFactory,
    FiliereFactory,
    LanguageFactory,
    StudentProfileFactory,
    StudyFieldFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def found(client, changelist: str, term: str) -> list:
    response = client.get(reverse(changelist), {"q": term})
    assert response.status_code == 200
    return list(response.context["cl"].result_list)


# Her e-mail does not spell her name: the names alone must match.
@pytest.fixture
def lea(db):
    return StudentProfileFactory(
        user=UserFactory(email="student.one@example.org", first_name="Léa", last_name="Müller"),
        student_number="E2026-001",
    )


@pytest.fixture
def others(db):
    return StudentProfileFactory(
        user=UserFactory(email="zoe.durand@example.org", first_name="Zoé", last_name="Durand")
    )


@pytest.mark.parametrize("term", ["lea", "LEA", "Léa", "muller", "MÜLLER", "lea muller", "e2026"])
def test_the_user_search_leaves_accents_and_case_aside(client, admin_user, lea, others, term):
    client.force_login(admin_user)
    assert found(client, "admin:accounts_user_changelist", term) == [lea.user]


def test_the_user_search_finds_an_e_mail_typed_in_capitals(client, admin_user, lea, others):
    client.force_login(admin_user)
    assert found(client, "admin:accounts_user_changelist", "STUDENT.ONE@") == [lea.user]


@pytest.mark.parametrize("term", ["lea", "Muller", "student.one@", "e2026-001"])
def test_the_student_profile_search_leaves_accents_aside(client, admin_user, lea, others, term):
    client.force_login(admin_user)
    assert found(client, "admin:accounts_studentprofile_changelist", term) == [lea]


def test_the_profile_s_student_autocomplete_finds_the_user_without_accents(
    client, admin_user, lea, others
):
    """A profile picks its student through the user admin's search."""
    client.force_login(admin_user)
    response = client.get(
        reverse("admin:autocomplete"),
        {
            "term": "muller",
            "app_label": "accounts",
            "model_name": "studentprofile",
            "field_name": "user",
        },
    )
    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [str(lea.user.pk)]


@pytest.mark.parametrize("term", ["lea", "muller", "LÉA MÜLLER"])
def test_the_application_and_plan_searches_find_the_student_without_accents(
    client, admin_user, lea, others, term
):
    application = ApplicationFactory(student=lea.user)
    ApplicationFactory(student=others.user)
    plan = MobilityPlan.objects.get(student=lea.user)  # the application's factory made it
    client.force_login(admin_user)
    assert found(client, "admin:applications_application_changelist", term) == [application]
    assert found(client, "admin:applications_mobilityplan_changelist", term) == [plan]


def test_the_language_search_leaves_accents_aside(client, admin_user):
    french = LanguageFactory(code="fr", name="Français")
    LanguageFactory(code="de", name="Allemand")
    client.force_login(admin_user)
    assert found(client, "admin:programmes_language_changelist", "francais") == [french]
    assert found(client, "admin:programmes_language_changelist", "FR") == [french]


def test_the_field_of_study_search_leaves_accents_aside(client, admin_user):
    civil = StudyFieldFactory(slug="civil-engineering", name="Génie civil")
    StudyFieldFactory(slug="informatique", name="Informatique")
    client.force_login(admin_user)
    assert found(client, "admin:programmes_studyfield_changelist", "GENIE CIVIL") == [civil]


def test_the_track_search_leaves_accents_aside(client, admin_user):
    energy = FiliereFactory(code="ENE", name="Énergétique")
    FiliereFactory(code="INF", name="Informatique")
    client.force_login(admin_user)
    assert found(client, "admin:accounts_filiere_changelist", "energetique") == [energy]


def test_the_call_search_leaves_accents_aside(client, admin_user):
    call = CallFactory(name="Échanges 2027 – génie")
    CallFactory(name="Double degrees 2027")
    client.force_login(admin_user)
    assert found(client, "admin:programmes_call_changelist", "echanges genie") == [call]
