"""`manage.py seed_scale`: refuses to seed twice, `--reset` removes the scale data and only
that, and it says what it made."""

import io

import pytest
from django.core.management import CommandError, call_command

from apps.accounts.models import User
from apps.applications.errors import ServiceError
from apps.applications.models import Activity, Application
from apps.applications.scale_data import (
    ScaleDataExists,
    reset_scale_data,
    scale_users,
    seed_scale,
)
from apps.programmes.models import Call, Partner
from tests.applications.factories import ApplicationFactory, semester_for
from tests.factories import PartnerFactory

pytestmark = pytest.mark.django_db


def seed(*args: str) -> str:
    out = io.StringIO()
    call_command("seed_scale", *args, stdout=out)
    return out.getvalue()


def test_seeds_and_reports_counts_and_time():
    output = seed("--students", "60")
    assert "Students: 60" in output
    assert "Seeded in" in output
    assert scale_users().filter(role="student").count() == 60


def test_refuses_to_seed_twice():
    seed("--students", "30")
    with pytest.raises(CommandError, match="--reset"):
        seed("--students", "30")
    with pytest.raises(ScaleDataExists):
        seed_scale(students=30)
    assert scale_users().filter(role="student").count() == 30


def test_reset_replaces_the_scale_data():
    seed("--students", "30")
    output = seed("--students", "40", "--reset")
    assert "Removed" in output
    assert scale_users().filter(role="student").count() == 40


def test_reset_leaves_everything_else(student):
    kept_partner = PartnerFactory()
    kept_application = ApplicationFactory(student=student)
    seed("--students", "30")
    removed = reset_scale_data()
    assert removed["accounts.User"] > 30
    assert not scale_users().exists()
    assert list(Partner.objects.all()) == [kept_partner]
    assert list(Application.objects.all()) == [kept_application]
    assert list(Call.objects.all()) == [kept_application.call]
    assert User.objects.filter(pk=student.pk).exists()


def test_reset_is_refused_while_other_data_points_at_scale_rows(student):
    seed("--students", "30")
    scale_partner = Partner.objects.filter(hei_id__endswith="scale.mobility.example").first()
    semester_for(student, partner=scale_partner, country=scale_partner.country)
    with pytest.raises(ServiceError, match="outside the scale set"):
        reset_scale_data()
    assert scale_users().filter(role="student").count() == 30
    assert Activity.objects.filter(partner=scale_partner, plan__student=student).exists()


def test_at_least_one_student():
    with pytest.raises(CommandError):
        seed("--students", "0")


def test_reset_removes_students_by_slices(monkeypatch):
    """PostgreSQL takes at most 65,535 parameters in a query: the reset of about 19,000
    students at once named more in its cascade. It goes by slices, students before staff."""
    monkeypatch.setattr("apps.applications.scale_data.RESET_STUDENTS_AT_ONCE", 7)
    seed("--students", "30")
    staff = scale_users().exclude(role="student").count()
    assert staff > 0
    removed = reset_scale_data()
    assert removed["accounts.User"] == 30 + staff
    assert not scale_users().exists()
    assert not Application.objects.exists()
