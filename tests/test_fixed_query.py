"""RowByKey: the signed-in user loaded with SQL compiled once, exactly as the ORM loads it."""

import threading
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models.sql.compiler import SQLCompiler
from django.test.utils import CaptureQueriesContext

from apps.accounts.backends import RoleBackend
from mobility_portal.fixed_query import RowByKey

pytestmark = pytest.mark.django_db

User = get_user_model()


def users_with_profiles() -> RowByKey:
    return RowByKey(lambda: User.objects.select_related("student_profile"))


def field_values(instance) -> dict:
    return {field.attname: getattr(instance, field.attname) for field in instance._meta.fields}


def test_the_row_is_the_one_the_orm_loads_with_its_profile(student):
    loaded = users_with_profiles().get(student.pk)
    expected = User.objects.select_related("student_profile").get(pk=student.pk)
    assert field_values(loaded) == field_values(expected)
    assert loaded.is_active is True  # converted as the ORM does (SQLite stores 1)
    assert not loaded._state.adding and loaded._state.db == "default"
    with CaptureQueriesContext(connection) as queries:
        profile = loaded.student_profile
    assert len(queries) == 0
    assert field_values(profile) == field_values(expected.student_profile)


def test_a_user_without_a_profile_has_none_known_without_a_query(dri):
    loaded = users_with_profiles().get(dri.pk)
    assert field_values(loaded) == field_values(User.objects.get(pk=dri.pk))
    with CaptureQueriesContext(connection) as queries:
        assert not hasattr(loaded, "student_profile")
    assert len(queries) == 0


def test_an_unknown_key_is_none(student):
    assert users_with_profiles().get(student.pk + 10_000) is None


def test_the_sql_is_compiled_once_per_thread_and_sent_each_time(student, dri):
    rows = users_with_profiles()
    with mock.patch.object(
        SQLCompiler, "as_sql", autospec=True, side_effect=SQLCompiler.as_sql
    ) as compile_sql:
        with CaptureQueriesContext(connection) as queries:
            assert rows.get(student.pk).pk == student.pk
            assert rows.get(dri.pk).pk == dri.pk
            assert rows.get(student.pk).pk == student.pk
        assert compile_sql.call_count == 1
        assert len(queries) == 3
        # Another thread compiles its own: a compiler holds its thread's connection.
        other = threading.Thread(target=rows._compiled, args=("default",))
        other.start()
        other.join()
        assert compile_sql.call_count == 2


def test_a_row_loaded_again_sees_the_change(student):
    rows = users_with_profiles()
    rows.get(student.pk)
    User.objects.filter(pk=student.pk).update(first_name="Renamed")
    assert rows.get(student.pk).first_name == "Renamed"


def test_querysets_it_cannot_load_are_refused():
    with pytest.raises(ValueError, match="no prefetch"):
        RowByKey(lambda: User.objects.prefetch_related("advisees")).get(1)


def test_the_backend_gives_active_users_only(student):
    backend = RoleBackend()
    assert backend.get_user(student.pk) == student
    assert backend.get_user(student.pk).student_profile == student.student_profile
    User.objects.filter(pk=student.pk).update(is_active=False)
    assert backend.get_user(student.pk) is None
    assert backend.get_user(student.pk + 10_000) is None
    assert backend.get_user("not a key") is None


def test_rows_by_key_are_the_rows_the_orm_loads_in_its_order(student):
    from apps.applications.models import Choice
    from mobility_portal.fixed_query import RowsByKey
    from tests.reviews.dri.builders import submitted

    application = submitted(student)
    submitted()  # another application's choices are not listed
    choices = RowsByKey(lambda: Choice.objects.select_related("activity__partner"), "application")
    expected = list(Choice.objects.filter(application=application).select_related("activity"))
    loaded = choices.all(application.pk)
    assert loaded == expected and [field_values(c) for c in loaded] == [
        field_values(c) for c in expected
    ]
    with CaptureQueriesContext(connection) as queries:
        assert [c.activity.pk for c in loaded] == [c.activity.pk for c in expected]
    assert len(queries) == 0
    assert choices.all(0) == []


def test_the_application_page_lists_are_kept_as_prefetch_related_keeps_them(student):
    from apps.applications.models import Application
    from apps.applications.selectors import load_application_page
    from tests.reviews.dri.builders import submitted

    application = load_application_page(Application.objects.get(pk=submitted(student).pk))
    other = submitted()
    with CaptureQueriesContext(connection) as queries:
        choices = list(application.choices.all())
        history = list(application.history.all())
        list(application.documents.all())
        assert choices and history
        assert all(choice.application is application for choice in choices)
        assert all(transition.actor_id is None or transition.actor for transition in history)
    assert len(queries) == 0
    # A narrower list is still asked of the database, for this application only.
    assert list(application.choices.filter(rank=1)) == choices[:1]
    assert not application.choices.filter(pk__in=other.choices.all()).exists()
