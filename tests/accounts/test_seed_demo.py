"""`manage.py seed_demo`: the demo catalogue and accounts, loadable any number of times."""

import io

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.management import call_command

from apps.accounts.demo import seed_demo
from apps.accounts.demo_data import DEMO_PASSWORD, STUDENTS
from apps.accounts.models import Filiere, StudentProfile, User
from apps.accounts.roles import Role
from apps.programmes.importing import Outcome
from apps.programmes.models import Agreement, AgreementKind, Language, Partner, StudyField

pytestmark = pytest.mark.django_db

DEMO_LOGINS = {
    Role.STUDENT: "student@demo.mobility.example",
    Role.ADVISOR: "advisor@demo.mobility.example",
    Role.DRI: "dri@demo.mobility.example",
    Role.DFI: "dfi@demo.mobility.example",
    Role.ADMIN: "admin@demo.mobility.example",
}


def row_counts() -> dict[str, int]:
    models = (Partner, Agreement, Language, StudyField, Filiere, User, StudentProfile)
    return {model.__name__: model.objects.count() for model in models}


def test_second_run_creates_nothing_and_duplicates_nothing():
    seed_demo()
    after_first_run = row_counts()

    report = seed_demo()

    assert row_counts() == after_first_run
    assert report.catalogue.partners[Outcome.CREATED] == 0
    assert sum(report.catalogue.partners.values()) == after_first_run["Partner"]
    assert report.accounts.created == report.student_profiles.created == 0


def test_catalogue_has_real_variety():
    seed_demo()

    assert Partner.objects.count() >= 30
    assert Partner.objects.values("country").distinct().count() >= 12
    assert set(Agreement.objects.values_list("kind", flat=True)) == set(AgreementKind.values)
    assert not Partner.objects.filter(languages=None).exists()
    assert not Partner.objects.filter(fields=None).exists()
    for partner in Partner.objects.all():
        partner.full_clean()
    for agreement in Agreement.objects.all():
        agreement.full_clean()


def test_one_login_per_role_with_the_documented_password():
    seed_demo()

    for role, email in DEMO_LOGINS.items():
        user = User.objects.get(email=email)
        assert user.role == role
        assert user.check_password(DEMO_PASSWORD)
        validate_password(DEMO_PASSWORD, user)
    assert User.objects.get(email=DEMO_LOGINS[Role.ADMIN]).is_superuser
    assert User.objects.filter(is_superuser=True).count() == 1
    assert User.objects.filter(role=Role.ADVISOR).count() >= 3


def test_demo_password_is_restored_on_every_run():
    seed_demo()
    student = User.objects.get(email=DEMO_LOGINS[Role.STUDENT])
    student.set_password("Something-Else-2026")
    student.save()

    seed_demo()

    student.refresh_from_db()
    assert student.check_password(DEMO_PASSWORD)


def test_every_demo_student_has_a_profile_with_an_advisor():
    seed_demo()

    students = User.objects.filter(email__in=[student["email"] for student in STUDENTS])
    assert students.count() == len(STUDENTS) >= 7
    for student in students.select_related("student_profile__advisor", "student_profile__filiere"):
        assert student.role == Role.STUDENT
        profile = student.student_profile
        assert profile.advisor.role == Role.ADVISOR
        assert profile.filiere is not None


def test_command_prints_a_summary_and_the_logins():
    stdout = io.StringIO()

    call_command("seed_demo", stdout=stdout)

    output = stdout.getvalue()
    assert output.startswith(f"Partners: {Partner.objects.count()} created, 0 updated")
    assert f"Demo logins (password {DEMO_PASSWORD}):" in output
    for email in DEMO_LOGINS.values():
        assert email in output


@pytest.mark.django_db
def test_one_call_is_open_today_and_not_duplicated():
    from django.utils import timezone

    from apps.programmes.models import Call

    seed_demo()
    seed_demo()
    calls = list(Call.objects.all())
    assert len(calls) == 1
    assert calls[0].is_open_on(timezone.localdate())
