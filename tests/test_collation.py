"""Names sorted as a reader sorts them, in the database (SQLite here, PostgreSQL in CI) and in
Python: accents and case do not send a name after "Z"."""

import pytest
from django.urls import reverse
from django.utils import translation

from apps.applications.forms import ActivityForm
from apps.programmes.filters import PartnerFilter, partner_countries
from apps.programmes.models import Language, Partner
from apps.programmes.selectors import catalogue_partners
from apps.reviews.selectors_queue import partner_menu
from mobility_portal.collation import collation_key, sorted_choices
from tests.factories import AgreementFactory, LanguageFactory, PartnerFactory, StudyFieldFactory

NAMES = [
    "Zurich University",
    "École polytechnique fédérale de Lausanne",
    "aalto",
    "Bern",
    "Ecole X",
]
IN_ORDER = [
    "aalto",
    "Bern",
    "École polytechnique fédérale de Lausanne",
    "Ecole X",
    "Zurich University",
]


def test_accents_and_case_come_second():
    assert sorted(NAMES, key=collation_key) == IN_ORDER
    assert sorted(["été", "Été", "ete"], key=collation_key) == ["ete", "Été", "été"]


def test_choices_are_sorted_by_their_label():
    assert sorted_choices([(1, "Zèbre"), (2, "éléphant"), (3, "Ours")]) == [
        (2, "éléphant"),
        (3, "Ours"),
        (1, "Zèbre"),
    ]


@pytest.fixture
def partners(db):
    for name in NAMES:
        AgreementFactory(partner=PartnerFactory(name=name))


def test_the_catalogue_lists_partners_by_name(partners):
    assert [partner.name for partner in catalogue_partners()] == IN_ORDER


def test_the_catalogue_page_shows_them_in_that_order(client, partners, english):
    page = client.get(reverse("programmes:catalogue")).content.decode()
    positions = [page.index(name) for name in IN_ORDER]
    assert positions == sorted(positions)


def test_the_menus_of_partners_are_sorted_the_same_way(partners):
    assert [name for _pk, name in partner_menu()] == IN_ORDER
    field = ActivityForm.base_fields["partner"]
    assert [partner.name for partner in field.queryset] == IN_ORDER


def test_a_filtered_catalogue_keeps_the_order(partners):
    # A filter over a to-many relation adds DISTINCT: the ordering must still be valid SQL.
    language = LanguageFactory(code="fi", name="Finnish")
    for partner in Partner.objects.all():
        partner.languages.add(language)
    AgreementFactory(partner=PartnerFactory(name="Aachen"))  # teaches no Finnish
    found = PartnerFilter({"language": "fi"}, queryset=catalogue_partners()).qs
    assert [partner.name for partner in found] == IN_ORDER


def test_the_fields_menu_is_sorted(db):
    for name in ("Électronique", "Mécanique", "chimie"):
        StudyFieldFactory(name=name)
    form = PartnerFilter({}, queryset=catalogue_partners()).form
    assert [field.name for field in form.fields["field"].queryset] == [
        "chimie",
        "Électronique",
        "Mécanique",
    ]


def test_countries_are_sorted_by_their_french_names(db):
    for code in ("FI", "US", "ES", "DE"):
        PartnerFactory(country=code)
    with translation.override("fr"):
        assert [name for _code, name in partner_countries()] == [
            "Allemagne",
            "Espagne",
            "États-Unis d'Amérique",
            "Finlande",
        ]


@pytest.fixture
def languages(db):
    # Stored under their English names, as the partners import creates them.
    for code, name in (("sv", "Swedish"), ("de", "German"), ("en", "English"), ("xx", "XX")):
        LanguageFactory(code=code, name=name)


@pytest.mark.parametrize(
    ("language", "menu"),
    [
        ("en", ["English", "German", "Swedish", "XX"]),
        ("fr", ["Allemand", "Anglais", "Suédois", "XX"]),
    ],
)
def test_languages_are_named_and_sorted_in_the_readers_language(languages, language, menu):
    with translation.override(language):
        form = PartnerFilter({}, queryset=catalogue_partners()).form
        assert [label for _code, label in form.fields["language"].choices][1:] == menu


def test_the_catalogue_names_the_languages_in_french(client, languages):
    partner = PartnerFactory(name="KTH")
    AgreementFactory(partner=partner)
    partner.languages.set(Language.objects.filter(code__in=["sv", "en"]))
    page = client.get(reverse("programmes:catalogue"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Suédois" in page and "Swedish" not in page
    detail = client.get(
        reverse("programmes:partner_detail", args=[partner.pk]), HTTP_ACCEPT_LANGUAGE="fr"
    ).content.decode()
    assert "Anglais, Suédois" in detail and "Swedish" not in detail


def test_the_language_filter_still_selects_by_code(languages):
    swedish = AgreementFactory(partner=PartnerFactory(name="KTH")).partner
    swedish.languages.set(Language.objects.filter(code="sv"))
    AgreementFactory(partner=PartnerFactory(name="TU Berlin"))
    found = PartnerFilter({"language": "sv"}, queryset=catalogue_partners()).qs
    assert [partner.name for partner in found] == ["KTH"]


@pytest.mark.django_db
def test_the_database_check_finds_the_collation_where_it_is_needed():
    from mobility_portal.checks import name_collation

    assert name_collation(None, databases=["default"]) == []
    assert name_collation(None) == []  # checks run without databases: nothing to ask


@pytest.mark.django_db
def test_the_database_check_reports_a_server_without_it(monkeypatch):
    from django.db import connection

    from mobility_portal import collation
    from mobility_portal.checks import name_collation

    monkeypatch.setattr(collation, "NAME_COLLATION", "no-such-collation")
    errors = name_collation(None, databases=["default"])
    if connection.vendor == "postgresql":
        assert [error.id for error in errors] == ["mobility.E001"]
        assert "no collation 'no-such-collation'" in errors[0].msg
    else:  # SQLite registers the collation itself on each connection
        assert errors == []


@pytest.mark.parametrize(("sort", "order"), [("name", [0, 1, 2]), ("-name", [2, 1, 0])])
def test_the_queue_sorts_students_by_name_as_a_reader_does(client, dri, sort, order):
    from apps.applications.models import ApplicationState
    from tests.applications.factories import ApplicationFactory, login
    from tests.factories import StudentProfileFactory

    names = ["Durand", "émile", "Zola"]
    for name in reversed(names):
        student = StudentProfileFactory(user__last_name=name).user
        ApplicationFactory(student=student, state=ApplicationState.SUBMITTED)
    page = login(client, dri).get(reverse("reviews:queue"), {"sort": sort}).context["page"]
    assert [row.student.last_name for row in page.object_list] == [names[i] for i in order]


@pytest.mark.django_db
def test_no_sqlite_index_needs_the_portals_collation():
    """Other tools than the portal (the sqlite3 shell, dbshell) open the development database
    without the collation: no index of it may use one."""
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND sql LIKE %s", ["%COLLATE%"]
        )
        assert cursor.fetchall() == []


@pytest.mark.parametrize(
    ("language", "listed"), [("fr", "Anglais, Tchèque"), ("en", "Czech, English")]
)
def test_a_partners_languages_are_listed_in_the_readers_order(client, db, language, listed):
    partner = PartnerFactory(name="ČVUT")
    AgreementFactory(partner=partner)
    for code, name in (("cs", "Czech"), ("en", "English")):
        partner.languages.add(LanguageFactory(code=code, name=name))
    for url in (reverse("programmes:catalogue"), partner.get_absolute_url()):
        page = client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()
        assert listed in page
