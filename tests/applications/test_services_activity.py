from datetime import date

import pytest

from apps.applications import services
from apps.applications.models import Activity, Application, ApplicationState, Choice
from apps.applications.services import ServiceError
from tests.applications.plan_helpers import add_activity
from tests.factories import UserFactory


@pytest.mark.django_db
def test_create_rechecks_and_caches_the_verdict(student):
    activity = add_activity(student, ects=20)
    plan = activity.plan
    plan.refresh_from_db()
    assert plan.checked_at is not None
    assert not plan.compliant
    assert plan.error_count == 2  # SEMESTER_ECTS and SEMESTER_INTERNSHIP
    assert plan.qualifying_days == 153


@pytest.mark.django_db
def test_update_fixes_the_plan(student):
    activity = add_activity(student, ects=20)
    services.plan_update_student_facts(
        actor=student,
        plan=activity.plan,
        engineering_internship_validated=True,
        full_year_internship_before_departure=False,
    )
    fields = {name: getattr(activity, name) for name in services.ACTIVITY_FIELDS}
    services.activity_update(actor=student, activity=activity, fields={**fields, "ects": 30})
    activity.plan.refresh_from_db()
    assert activity.plan.compliant
    assert activity.plan.error_count == 0


@pytest.mark.django_db
def test_fields_of_another_kind_are_dropped(student):
    activity = add_activity(
        student,
        kind="fh_internship",
        start=date(2026, 7, 1),
        end=date(2026, 8, 15),
        ects=30,
        summer_type="other",
    )
    assert activity.ects is None
    assert activity.summer_type == ""


@pytest.mark.django_db
def test_partner_gives_its_country(student):
    from tests.factories import PartnerFactory

    partner = PartnerFactory(country="SE")
    activity = add_activity(student, partner=partner, country="DE", host_name="ignored")
    assert activity.country == "SE"
    assert activity.host_name == ""


@pytest.mark.django_db
def test_another_student_cannot_change_the_plan(student, other_student):
    activity = add_activity(student)
    with pytest.raises(ServiceError):
        services.activity_delete(actor=other_student, activity=activity)
    assert Activity.objects.filter(pk=activity.pk).exists()


@pytest.mark.django_db
def test_delete_refused_while_a_submitted_application_names_it(student):
    from tests.factories import CallFactory

    activity = add_activity(student)
    application = Application.objects.create(
        student=student, call=CallFactory(), state=ApplicationState.SUBMITTED
    )
    Choice.objects.create(application=application, rank=1, activity=activity)
    with pytest.raises(ServiceError):
        services.activity_delete(actor=student, activity=activity)
    assert Activity.objects.filter(pk=activity.pk).exists()

    application.state = ApplicationState.WITHDRAWN
    application.save()
    services.activity_delete(actor=student, activity=activity)
    assert not Activity.objects.filter(pk=activity.pk).exists()


@pytest.mark.django_db
def test_student_without_profile_has_no_plan():
    with pytest.raises(ServiceError):
        services.plan_for_student(UserFactory())


@pytest.mark.django_db
def test_changing_a_validated_stay_asks_for_validation_again(student):
    from django.utils import timezone

    stay = add_activity(
        student,
        kind="summer_stay",
        summer_type="lab_internship",
        ects=None,
        start=date(2027, 7, 1),
        end=date(2027, 8, 15),
    )
    Activity.objects.filter(pk=stay.pk).update(
        approved_by_dfi=True, approved_by_dri=True, validation_requested_at=timezone.now()
    )
    stay.refresh_from_db()
    fields = {name: getattr(stay, name) for name in services.ACTIVITY_FIELDS}
    services.activity_update(actor=student, activity=stay, fields=fields)
    stay.refresh_from_db()
    assert stay.approved_by_dfi and stay.approved_by_dri

    services.activity_update(actor=student, activity=stay, fields={**fields, "country": "JP"})
    stay.refresh_from_db()
    assert not stay.approved_by_dfi and not stay.approved_by_dri
    assert stay.validation_requested_at is None


@pytest.mark.django_db
def test_a_validation_decided_while_the_edit_was_checked_is_kept(student):
    """The edit page loads the stay, checks the form, then saves: a body that validated the
    stay in between is not overwritten by the flags the page loaded."""
    from django.utils import timezone

    stay = add_activity(
        student,
        kind="summer_stay",
        summer_type="lab_internship",
        ects=None,
        start=date(2027, 7, 1),
        end=date(2027, 8, 15),
    )
    Activity.objects.filter(pk=stay.pk).update(validation_requested_at=timezone.now())
    loaded = Activity.objects.select_related("plan", "partner").get(pk=stay.pk)
    Activity.objects.filter(pk=stay.pk).update(approved_by_dfi=True)  # the DFI decides
    fields = {name: getattr(loaded, name) for name in services.ACTIVITY_FIELDS}
    services.activity_update(actor=student, activity=loaded, fields={**fields, "ects": None})
    stay.refresh_from_db()
    assert stay.approved_by_dfi
    assert stay.validation_requested_at is not None
