"""Memoized values (mobility_portal/caching.py): kept until a table they read changes."""

import os
import warnings
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse
from django.utils import timezone, translation

from apps.applications.models import ApplicationState
from apps.programmes.models import Partner
from apps.reviews.selectors_queue import counts_by_state, destination_countries
from mobility_portal import caching
from mobility_portal.caching import everything_changed, memoize, recording_reads, tables_changed
from tests.applications.factories import ActivityFactory, ApplicationFactory, ChoiceFactory, login
from tests.factories import AgreementFactory, CallFactory, LanguageFactory, PartnerFactory
from tests.reviews.dri.builders import in_state
from tests.services import SHARES_REDIS

computed: list[str] = []


@memoize(Partner, per_language=True)
def partner_names(prefix: str) -> list[str]:
    computed.append(prefix)
    names = Partner.objects.order_by("name").values_list("name", flat=True)
    return [f"{prefix}{translation.get_language()}:{name}" for name in names]


@pytest.fixture(autouse=True)
def forget_computations():
    computed.clear()


@pytest.mark.django_db
def test_a_value_is_computed_once_while_its_tables_do_not_change():
    PartnerFactory(name="KTH")
    first = partner_names("a")
    assert first[0].endswith(":KTH")
    with CaptureQueriesContext(connection) as queries:
        assert partner_names("a") == first
    assert len(queries) == 0
    assert computed == ["a"]
    partner_names("b")
    assert computed == ["a", "b"]


@pytest.mark.django_db
def test_saving_deleting_or_relinking_a_row_computes_again():
    partner = PartnerFactory(name="KTH")
    partner_names("a")
    partner.name = "KTH Royal Institute"
    partner.save()
    assert partner_names("a")[0].endswith("KTH Royal Institute")
    partner_names("a")
    assert computed == ["a", "a"]

    @memoize(Partner.languages.through)
    def language_links() -> int:
        return Partner.languages.through.objects.count()

    assert language_links() == 0
    partner.languages.add(LanguageFactory())
    assert language_links() == 1

    partner.delete()
    assert partner_names("a") == []


@pytest.mark.django_db
def test_each_language_has_its_own_value():
    PartnerFactory(name="KTH")
    with translation.override("fr"):
        assert partner_names("a") == ["afr:KTH"]
    with translation.override("en"):
        assert partner_names("a") == ["aen:KTH"]
    assert computed == ["a", "a"]


@pytest.mark.django_db
def test_bulk_writes_and_raw_sql_are_seen_too():
    """Writes are seen in the statements themselves, so bulk inserts and updates, which send no
    signal, and raw SQL count like a save."""
    partner_names("a")
    Partner.objects.bulk_create([Partner(name="Bulk", country="DE")])
    assert partner_names("a")[-1].endswith("Bulk")
    Partner.objects.filter(name="Bulk").update(name="Bulk updated")
    assert partner_names("a")[-1].endswith("Bulk updated")
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {connection.ops.quote_name(Partner._meta.db_table)} SET name = %s",
            ["Raw"],
        )
    assert partner_names("a") == [f"a{translation.get_language()}:Raw"]
    partner_names("a")
    assert computed == ["a", "a", "a", "a"]


@pytest.mark.django_db
def test_a_value_is_forgotten_when_told():
    partner_names("a")
    tables_changed(Partner)
    partner_names("a")
    everything_changed()
    partner_names("a")
    assert computed == ["a", "a", "a"]


@pytest.mark.django_db
def test_reads_are_recorded_from_statements_and_memos():
    PartnerFactory(name="KTH")
    with recording_reads() as tables:
        partner_names("a")  # computed: its SELECT is seen
    assert Partner._meta.db_table in tables
    with recording_reads() as tables:
        partner_names("a")  # kept: the memo names what it read
    assert Partner._meta.db_table in tables
    with recording_reads() as tables:
        list(ApplicationFactory._meta.model.objects.filter(choices__rank=1))
    assert {"applications_application", "applications_choice"} <= tables


@pytest.mark.django_db
def test_the_queue_country_menu_follows_new_choices(client, dri):
    submitted = in_state(ApplicationFactory(), ApplicationState.SUBMITTED)
    ChoiceFactory(application=submitted, agreement=AgreementFactory(partner__country="JP"))
    with translation.override("en"):
        assert [code for code, _name in destination_countries()] == ["JP"]
    login(client, dri).get(reverse("reviews:queue"))
    ChoiceFactory(
        application=submitted,
        rank=2,
        agreement=None,
        activity=ActivityFactory(country="CL", plan=submitted.student.mobility_plan),
    )
    response = client.get(reverse("reviews:queue"))
    menu = response.context["filter"].form.fields["country"].choices
    assert [code for code, _name in menu if code] == ["CL", "JP"]
    assert '<option value="CL">' in response.content.decode()  # the memoized form follows


@pytest.mark.django_db
def test_the_queue_partner_menu_follows_new_partners(client, dri):
    PartnerFactory(name="Aalto University")
    assert "Aalto University" in login(client, dri).get(reverse("reviews:queue")).content.decode()
    PartnerFactory(name="Zhejiang University")
    assert "Zhejiang University" in client.get(reverse("reviews:queue")).content.decode()


def main_part(response) -> str:
    """The page's <main>: the navigation holds a CSRF token, masked anew on every answer."""
    content = response.content.decode()
    return content[content.index("<main") : content.index("</main>")]


def redis_cache_url() -> str:
    """Database 13 of the suite's Redis: the integration tests use 14, benchmarks 8 and 15.
    Tests that call it carry SHARES_REDIS."""
    url = os.environ.get("REDIS_URL", "")
    if not url:
        pytest.skip("REDIS_URL is not set (CI sets it, with REQUIRE_SERVICES=1)")
    return urlunsplit(urlsplit(url)._replace(path="/13"))


@SHARES_REDIS
@pytest.mark.django_db
def test_values_round_trip_through_redis(client):
    backend = {"BACKEND": "mobility_portal.redis_cache.ReusedClientRedisCache"}
    with override_settings(CACHES={"default": {**backend, "LOCATION": redis_cache_url()}}):
        from django.core.cache import cache

        cache.clear()
        # One client per pool, not one per operation.
        assert cache._cache.get_client(write=True) is cache._cache.get_client(write=True)
        call = CallFactory(academic_year=2031)
        in_state(ApplicationFactory(call=call), ApplicationState.SUBMITTED)
        with translation.override("en"):
            first = counts_by_state(2031)
            again = counts_by_state(2031)
            assert again == first
            assert [(row.key, str(row.label), row.count) for row in again] == [
                ("submitted", "Submitted", 1)
            ]
        PartnerFactory(name="Politecnico di Milano", country="IT")
        response = client.get(reverse("programmes:catalogue"))
        assert response.content.decode().count("Politecnico di Milano") == 1
        cached = client.get(reverse("programmes:catalogue"))
        assert main_part(cached) == main_part(response)
        cache.clear()


@SHARES_REDIS
def test_redis_keys_are_not_held_to_memcached_rules():
    backend = {"BACKEND": "mobility_portal.redis_cache.ReusedClientRedisCache"}
    with override_settings(CACHES={"default": {**backend, "LOCATION": redis_cache_url()}}):
        from django.core.cache import cache

        key = "a key with spaces, past memcached's 250 characters: " + "k" * 250
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # CacheKeyWarning would fail the test
            cache.set(key, "kept", 30)
            assert cache.get_many([key]) == {key: "kept"}
            cache.delete(key)


@pytest.mark.django_db
def test_queue_searches_are_not_kept_in_shared_memos(client, dri):
    """A search is nobody else's business: no memo shared between sessions keeps it (the
    session's own page cache does, within its per-session allowance)."""
    from django.core.cache import cache

    def shared_memos() -> set[str]:  # the local-memory cache of the test settings
        return {key for key in cache._cache if ":memo:" in key and ":memo:generation:" not in key}

    login(client, dri).get(reverse("reviews:queue"))
    kept = shared_memos()
    response = client.get(reverse("reviews:queue"), {"q": "someone unusual"})
    assert 'value="someone unusual"' in response.content.decode()
    assert shared_memos() == kept


@pytest.mark.django_db
def test_writes_to_any_model_are_counted_from_start_up():
    """Statements are watched from start-up (AccountsConfig.ready), not from the import of a
    memo's module: a worker or a command that never loads the views still moves generations."""
    from django.core.cache import cache

    from tests.factories import FiliereFactory

    FiliereFactory()
    assert cache.get("memo:generation:accounts_filiere")


@pytest.mark.django_db
def test_a_cache_that_fails_is_read_as_empty_and_never_blocks_a_write(monkeypatch):
    from django.core.cache import cache

    def broken(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(cache, "get_many", broken)
    monkeypatch.setattr(cache, "set", broken)
    PartnerFactory(name="KTH")  # the save moves a generation on: it must not fail
    assert partner_names("a")[0].endswith(":KTH")
    assert partner_names("a")[0].endswith(":KTH")
    assert computed == ["a", "a"]  # nothing kept, everything still right


@pytest.mark.django_db
def test_only_what_the_menus_offer_is_kept_in_the_catalogue(client):
    from django.core.cache import cache

    PartnerFactory(name="KTH", country="SE")
    client.get(reverse("programmes:catalogue"))
    client.get(reverse("programmes:catalogue"), {"country": "SE"})
    kept = len(cache._cache)  # the local-memory cache of the test settings
    for params in (
        {"country": "SE"},  # already kept
        {"utm_source": "newsletter"},
        {"country": "<b>zz</b>"},
        {"page": "123456"},
        {"kind": ["exchange", "master"]},
    ):
        assert client.get(reverse("programmes:catalogue"), params).status_code == 200
    assert len(cache._cache) == kept


@pytest.mark.django_db
def test_writes_that_change_nothing_are_not_counted():
    """Beat polls the outbox with an UPDATE every 30 s, and a login writes last_login: neither
    may forget every kept page of the site."""
    from django.core.cache import cache

    from tests.factories import UserFactory

    partner = PartnerFactory(name="KTH")
    user = UserFactory()
    partners, users = (f"memo:generation:{t}" for t in ("programmes_partner", "accounts_user"))
    before = cache.get_many([partners, users])
    Partner.objects.filter(name="nobody").update(name="still nobody")
    Partner.objects.filter(name="nobody").delete()
    user.last_login = timezone.now()
    user.save(update_fields=["last_login"])
    assert cache.get_many([partners, users]) == before
    partner.save()
    assert cache.get(partners) != before[partners]


@pytest.mark.django_db
def test_nothing_computed_inside_a_transaction_is_kept():
    """The transaction could roll back the rows the value was computed from."""
    PartnerFactory(name="Real")
    with pytest.raises(RuntimeError), transaction.atomic():
        Partner.objects.update(name="Phantom")
        assert partner_names("a")[0].endswith(":Phantom")
        raise RuntimeError("rolled back")
    assert partner_names("a")[0].endswith(":Real")
    assert partner_names("a")[0].endswith(":Real")
    assert computed == ["a", "a"]  # computed in the transaction, then once and kept


@pytest.mark.django_db
def test_a_new_release_computes_again(monkeypatch):
    PartnerFactory(name="KTH")
    partner_names("a")
    monkeypatch.setattr(caching, "release", lambda: "next-release")
    partner_names("a")
    assert computed == ["a", "a"]


def test_the_release_follows_what_pages_are_made_of(tmp_path, settings):
    settings.BASE_DIR = tmp_path
    (tmp_path / "templates").mkdir()
    page = tmp_path / "templates" / "page.html"
    page.write_text("<p>one</p>")
    (tmp_path / "notes.md").write_text("not served")

    def current() -> str:
        caching.release.cache_clear()
        return caching.release()

    try:
        first = current()
        (tmp_path / "notes.md").write_text("still not served")
        assert current() == first
        page.write_text("<p>two</p>")
        second = current()
        assert second != first
        (tmp_path / "requirements.txt").write_text("Django==6.0\n")
        assert current() != second
    finally:
        caching.release.cache_clear()


def test_a_release_that_cannot_be_read_is_one_of_its_own(tmp_path, settings, monkeypatch):
    settings.BASE_DIR = tmp_path
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "page.html").write_text("<p>one</p>")

    def unreadable(path):
        raise PermissionError(path)

    monkeypatch.setattr(caching.Path, "read_bytes", unreadable)
    try:
        caching.release.cache_clear()
        mine = caching.release()
        caching.release.cache_clear()
        assert caching.release() != mine
    finally:
        caching.release.cache_clear()
