"""Pages kept per session (mobility_portal/page_cache.py) until a table they read changes."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse

from apps.accounts.models import User
from apps.accounts.roles import Role
from apps.applications.models import Activity, Application, ApplicationState
from mobility_portal import page_cache
from tests.applications.factories import ApplicationFactory, login
from tests.applications.plan_helpers import activity_post_data, add_activity
from tests.reviews.dri.builders import in_state
from tests.services import SHARES_REDIS
from tests.test_caching import redis_cache_url

DASHBOARD = reverse("applications:dashboard")
LIVE_CHECK = reverse("applications:plan_live_check")
QUEUE = reverse("reviews:queue")
# A kept page costs the session's row (sessions live in the database without a shared cache)
# and the signed-in user's, read afresh for the access check: nothing of the page itself.
KEPT_PAGE_QUERIES = 2


def kept_session(client, user):
    """Sign in with a CSRF cookie, as a browser has after its first page with a form."""
    login(client, user)
    client.cookies["csrftoken"] = "k" * 32
    return client


def queries_of(client, url: str, data: dict | None = None, method: str = "get"):
    with CaptureQueriesContext(connection) as captured:
        response = getattr(client, method)(url, data or {})
    return response, len(captured)


def learn_and_keep(client, url: str, data: dict | None = None, method: str = "get"):
    """The first request teaches the view which tables it reads, the second is kept."""
    for _ in range(2):
        response = getattr(client, method)(url, data or {})
        assert response.status_code == 200
    return response


@pytest.mark.django_db
def test_a_reloaded_page_is_served_from_the_cache_as_it_was_rendered(client, student):
    add_activity(student)
    kept_session(client, student)
    rendered = learn_and_keep(client, DASHBOARD)
    again, queries = queries_of(client, DASHBOARD)
    assert again.status_code == 200
    assert again.content == rendered.content
    assert again["Content-Type"] == rendered["Content-Type"]
    assert queries == KEPT_PAGE_QUERIES
    assert again.context is None  # no template was rendered


@pytest.mark.django_db
def test_any_write_to_a_table_the_page_read_renders_it_anew(client, student):
    kept_session(client, student)
    learn_and_keep(client, DASHBOARD)

    # Read by the middleware before the view: the signed-in user's row.
    User.objects.filter(pk=student.pk).update(first_name="Zoé")
    renamed, queries = queries_of(client, DASHBOARD)
    assert "Zoé" in renamed.content.decode()
    assert queries > KEPT_PAGE_QUERIES

    # Read by the view: the plan's activities (a save of another process is the same).
    assert queries_of(client, DASHBOARD)[1] == KEPT_PAGE_QUERIES
    add_activity(student)
    after, queries = queries_of(client, DASHBOARD)
    assert queries > KEPT_PAGE_QUERIES
    assert after.context["activity_count"] == 1


@pytest.mark.django_db
def test_nobody_else_is_served_a_kept_page(client, student, other_student, dri):
    kept_session(client, student)
    mine = learn_and_keep(client, DASHBOARD).content.decode()
    assert str(student) in mine

    kept_session(client, other_student)  # another user, another session
    theirs, queries = queries_of(client, DASHBOARD)
    assert queries > KEPT_PAGE_QUERIES
    assert str(other_student) in theirs.content.decode()
    assert str(student) not in theirs.content.decode()

    kept_session(client, student)  # the same user signing in again: a new session
    assert queries_of(client, DASHBOARD)[1] > KEPT_PAGE_QUERIES


@pytest.mark.django_db
def test_each_language_and_each_query_is_its_own_page(client, dri):
    kept_session(client, dri)
    english = learn_and_keep(client, QUEUE).content.decode()
    french, queries = queries_of(client, QUEUE, {}, "get")
    assert queries == KEPT_PAGE_QUERIES
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "fr"
    french = client.get(QUEUE).content.decode()
    assert french != english
    assert 'lang="fr"' in french
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    filtered, queries = queries_of(client, QUEUE, {"state": ApplicationState.SUBMITTED})
    assert queries > KEPT_PAGE_QUERIES
    assert filtered.content != english.encode()


@pytest.mark.django_db
def test_access_is_checked_before_a_kept_page_is_served(client, dri, monkeypatch):
    kept_session(client, dri)
    learn_and_keep(client, QUEUE)
    User.objects.filter(pk=dri.pk).update(role=Role.STUDENT)
    assert client.get(QUEUE).status_code in (302, 403)
    User.objects.filter(pk=dri.pk).update(role=Role.DRI)
    learn_and_keep(client, QUEUE)

    # Even when the cache cannot hear of the change: the user is read from the database.
    def broken(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(cache, "set", broken)
    User.objects.filter(pk=dri.pk).update(is_active=False)
    monkeypatch.undo()
    assert client.get(QUEUE).status_code == 302  # signed out: to the login page


@pytest.mark.django_db
def test_a_decision_shows_at_once_on_the_dossier(client, dri):
    application = in_state(ApplicationFactory(), ApplicationState.SUBMITTED)
    dossier = reverse("reviews:dossier", args=[application.pk])
    kept_session(client, dri)
    learn_and_keep(client, dossier)
    assert queries_of(client, dossier)[1] == KEPT_PAGE_QUERIES

    taken = client.post(
        reverse("reviews:dossier_take", args=[application.pk]),
        {"seen_state": ApplicationState.SUBMITTED},
        follow=True,
    )
    # The confirmation is shown once, on a page rendered for it, and is not kept.
    assert "now under review" in taken.content.decode()
    assert Application.objects.get(pk=application.pk).state == ApplicationState.UNDER_REVIEW
    after = client.get(dossier)
    assert after.context is not None
    assert "now under review" not in after.content.decode()
    assert after.context["application"].state == ApplicationState.UNDER_REVIEW


@pytest.mark.django_db
def test_the_live_check_keeps_each_form_it_answered(client, student):
    kept_session(client, student)
    wrong = learn_and_keep(client, LIVE_CHECK, activity_post_data(ects=25), "post")
    assert 'data-rule="SEMESTER_ECTS"' in wrong.content.decode()
    again, queries = queries_of(client, LIVE_CHECK, activity_post_data(ects=25), "post")
    assert again.content == wrong.content
    assert queries == KEPT_PAGE_QUERIES

    fixed, queries = queries_of(client, LIVE_CHECK, activity_post_data(ects=30), "post")
    assert queries > KEPT_PAGE_QUERIES
    assert 'data-rule="SEMESTER_ECTS"' not in fixed.content.decode()

    # Nothing saved by the check; the plan changing does change its answer.
    assert not Activity.objects.filter(plan__student=student).exists()
    add_activity(student, kind="master", ects=60, end="2028-10-31")
    overlapping, queries = queries_of(client, LIVE_CHECK, activity_post_data(ects=25), "post")
    assert queries > KEPT_PAGE_QUERIES
    assert overlapping.content != wrong.content


def kept_pages() -> set[str]:
    return {key for key in cache._cache if ":page:" in key and ":page:tables:" not in key}


@pytest.mark.django_db
def test_pages_that_must_not_be_kept_are_rendered_each_time(client, student):
    add_activity(student)
    login(client, student)
    for _ in range(3):  # no CSRF cookie: the page's form tokens would not match the next one
        client.cookies.pop("csrftoken", None)
        assert client.get(DASHBOARD).context is not None
    assert not kept_pages()

    client.logout()
    client.cookies["csrftoken"] = "k" * 32
    catalogue = reverse("programmes:catalogue")
    for _ in range(3):  # a visitor: the catalogue's own memo serves them
        assert client.get(catalogue).context is not None
    assert not kept_pages()


@pytest.mark.django_db
def test_each_session_keeps_a_bounded_number_of_pages_per_view(client, dri, monkeypatch):
    monkeypatch.setattr(page_cache, "KEPT_PER_VIEW", 2)
    kept_session(client, dri)
    client.get(QUEUE, {"q": "learn"})
    for term in ("a", "b", "c"):
        client.get(QUEUE, {"q": term})
    assert queries_of(client, QUEUE, {"q": "a"})[1] == KEPT_PAGE_QUERIES
    assert queries_of(client, QUEUE, {"q": "b"})[1] == KEPT_PAGE_QUERIES
    assert queries_of(client, QUEUE, {"q": "c"})[1] > KEPT_PAGE_QUERIES


@pytest.mark.django_db
def test_the_allowance_is_per_view(client, dri, monkeypatch):
    """An officer who went through many dossiers still gets the queue kept."""
    monkeypatch.setattr(page_cache, "KEPT_PER_VIEW", 1)
    application = in_state(ApplicationFactory(), ApplicationState.SUBMITTED)
    kept_session(client, dri)
    dossier = reverse("reviews:dossier", args=[application.pk])
    learn_and_keep(client, dossier)
    learn_and_keep(client, QUEUE)
    assert queries_of(client, QUEUE)[1] == KEPT_PAGE_QUERIES
    assert queries_of(client, dossier)[1] == KEPT_PAGE_QUERIES


@pytest.mark.django_db
def test_a_session_keeps_a_bounded_number_of_pages_in_all(client, dri, monkeypatch):
    monkeypatch.setattr(page_cache, "KEPT_PER_SESSION", 1)
    application = in_state(ApplicationFactory(), ApplicationState.SUBMITTED)
    kept_session(client, dri)
    learn_and_keep(client, QUEUE)
    dossier = reverse("reviews:dossier", args=[application.pk])
    learn_and_keep(client, dossier)
    assert queries_of(client, QUEUE)[1] == KEPT_PAGE_QUERIES
    assert queries_of(client, dossier)[1] > KEPT_PAGE_QUERIES


@pytest.mark.django_db
def test_a_cache_that_fails_means_pages_are_rendered(client, student, monkeypatch):
    def broken(*args, **kwargs):
        raise ConnectionError("cache down")

    kept_session(client, student)
    monkeypatch.setattr(cache, "get_many", broken)
    monkeypatch.setattr(cache, "set", broken)
    first = client.get(DASHBOARD)
    second = client.get(DASHBOARD)
    assert first.status_code == second.status_code == 200
    assert second.context is not None


@SHARES_REDIS
@pytest.mark.django_db
def test_kept_pages_round_trip_through_redis(client, dri, monkeypatch):
    """Production keeps pages in Redis: the page, its generations and the session's allowance
    (a counter Redis increments) survive the trip."""
    monkeypatch.setattr(page_cache, "KEPT_PER_VIEW", 1)
    backend = {"BACKEND": "mobility_portal.redis_cache.ReusedClientRedisCache"}
    with override_settings(CACHES={"default": {**backend, "LOCATION": redis_cache_url()}}):
        cache.clear()
        kept_session(client, dri)
        rendered = learn_and_keep(client, QUEUE)
        again, queries = queries_of(client, QUEUE)
        assert again.content == rendered.content
        assert queries == KEPT_PAGE_QUERIES
        client.get(QUEUE, {"state": ApplicationState.SUBMITTED})  # beyond the allowance
        assert queries_of(client, QUEUE, {"state": ApplicationState.SUBMITTED})[1] > 1
        in_state(ApplicationFactory(), ApplicationState.SUBMITTED)
        assert queries_of(client, QUEUE)[1] > KEPT_PAGE_QUERIES
        cache.clear()


@pytest.mark.django_db
def test_a_user_changed_while_the_page_renders_is_not_kept_old(client, student, monkeypatch):
    """The user is read before the generations: a miss reads them again before rendering."""
    kept_session(client, student)
    client.get(DASHBOARD)  # learns the tables
    original = page_cache.current_generations

    def renamed_meanwhile(labels, found=None):
        original(labels, found)
        User.objects.filter(pk=student.pk).update(first_name="Renamed")
        return original(labels, None)

    monkeypatch.setattr(page_cache, "current_generations", renamed_meanwhile)
    assert "Renamed" in client.get(DASHBOARD).content.decode()
    monkeypatch.undo()
    assert "Renamed" in client.get(DASHBOARD).content.decode()


@pytest.mark.django_db
def test_a_new_release_renders_the_page_again(client, student, monkeypatch):
    kept_session(client, student)
    learn_and_keep(client, DASHBOARD)
    assert queries_of(client, DASHBOARD)[1] == KEPT_PAGE_QUERIES
    monkeypatch.setattr(page_cache, "release", lambda: "next-release")
    again = client.get(DASHBOARD)
    assert again.context is not None  # rendered by the new release's templates
