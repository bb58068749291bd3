"""Names searched as people type them (mobility_portal/search.py), on SQLite and PostgreSQL:
the SQL `fold` transform must give exactly what fold() gives."""

import pytest

from apps.programmes.models import Partner
from mobility_portal.search import ACCENTED, PLAIN, fold
from tests.factories import PartnerFactory

NAMES = [
    "École Polytechnique Fédérale de Lausanne",
    "ÉCOLE POLYTECHNIQUE FÉDÉRALE DE LAUSANNE",
    "Universidade de São Paulo",
    "Politechnika Łódzka",
    "Technická univerzita v Liberci",
    "Université de Montréal",
    "Norges teknisk-naturvitenskapelige universitet Ålesund Ø",
    "Boğaziçi Üniversitesi",
    "İstanbul Teknik Üniversitesi",
    "Universitatea Politehnica Timișoara",
    "Universitatea Transilvania din Brașov",
]


def test_fold_lowers_and_takes_accents_off():
    assert fold("École FÉDÉRALE") == "ecole federale"
    assert fold("São Paulo, Łódź, Ørsted") == "sao paulo, lodz, orsted"
    assert fold("Boğaziçi, İstanbul, Timișoara, Brașov") == "bogazici, istanbul, timisoara, brasov"
    assert PLAIN.isascii() and len(PLAIN) == len(ACCENTED)


@pytest.mark.django_db
def test_the_sql_transform_folds_as_fold_does():
    for name in NAMES:
        PartnerFactory(name=name)
    folded = dict(Partner.objects.filter(name__in=NAMES).values_list("name", "name__fold"))
    assert folded == {name: fold(name) for name in NAMES}


@pytest.mark.django_db
@pytest.mark.parametrize("typed", ["ecole", "ÉCOLE", "Ecole Polytechnique Federale", "fédérale"])
def test_a_name_is_found_however_its_accents_and_case_are_typed(typed):
    epfl = PartnerFactory(name="École polytechnique fédérale de Lausanne")
    PartnerFactory(name="Zurich University")
    found = Partner.objects.filter(name__fold__contains=fold(typed))
    assert list(found) == [epfl]


def test_the_latest_index_migration_builds_what_the_search_writes():
    """The trigram indexes serve only their own expression: a change of the tables here needs
    a migration that builds the indexes again (copy its SQL into a new migration)."""
    import importlib

    built = importlib.import_module("apps.accounts.migrations.0007_student_search_folded")
    from mobility_portal.search import postgresql_fold_sql

    assert built.postgresql_fold_sql("first_name") == postgresql_fold_sql("first_name")
