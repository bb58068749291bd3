"""The partners import's optional `nomination_email` column: files without it import as
before and leave the addresses alone; with it, the partner takes the file's address."""

import pytest
from django.utils import translation

from apps.programmes.importing import COLUMNS, ImportFailed, Outcome, import_partners_csv
from apps.programmes.models import Partner
from tests.factories import PartnerFactory

pytestmark = pytest.mark.django_db

HEADER = ",".join(COLUMNS)
KTH = "KTH Royal Institute of Technology,SE,Stockholm,,kth.se,en,,exchange,3,2024,,,"


def test_a_file_without_the_column_keeps_the_address_the_portal_holds():
    PartnerFactory(
        name="KTH Royal Institute of Technology",
        country="SE",
        nomination_email="incoming@kth.example",
    )
    import_partners_csv(f"{HEADER}\n{KTH}\n")
    assert Partner.objects.get().nomination_email == "incoming@kth.example"


def test_a_file_with_the_column_sets_creates_keeps_and_empties_addresses():
    """An empty cell keeps the address the portal holds; "-" empties it."""
    PartnerFactory(name="Aalto University", country="FI", nomination_email="old@aalto.example")
    PartnerFactory(name="Uppsala University", country="SE", nomination_email="in@uu.example")
    text = (
        f"{HEADER},nomination_email\n"
        f"{KTH},incoming@kth.example\n"
        # A second row of the partner may leave it out.
        "KTH Royal Institute of Technology,SE,,,,,,master,1,2024,,,,\n"
        "Aalto University,FI,Espoo,,,,,,,,,,,-\n"
        "Uppsala University,SE,Uppsala,,,,,,,,,,,\n"
    )
    report = import_partners_csv(text)
    addresses = dict(Partner.objects.values_list("name", "nomination_email"))
    assert addresses == {
        "KTH Royal Institute of Technology": "incoming@kth.example",
        "Aalto University": "",
        "Uppsala University": "in@uu.example",
    }
    assert (report.partners[Outcome.CREATED], report.partners[Outcome.UPDATED]) == (1, 2)


@pytest.mark.parametrize(
    "address, problem",
    [
        (
            "not an address",
            "line 2: nomination_email: 'not an address' is not a valid e-mail address",
        ),
        ("a" * 250 + "@x.org", "line 2: nomination_email: too long (256 characters, at most 254)"),
    ],
)
def test_a_bad_address_is_a_problem_and_nothing_is_written(address, problem):
    with translation.override("en"), pytest.raises(ImportFailed) as failure:
        import_partners_csv(f"{HEADER},nomination_email\n{KTH},{address}\n")
    assert failure.value.problems == [problem]
    assert not Partner.objects.exists()


def test_rows_of_one_partner_that_disagree_on_the_address_are_a_problem():
    text = (
        f"{HEADER},nomination_email\n"
        f"{KTH},one@kth.example\n"
        "KTH Royal Institute of Technology,SE,,,,,,master,1,2024,,,,two@kth.example\n"
    )
    with translation.override("en"), pytest.raises(ImportFailed) as failure:
        import_partners_csv(text)
    assert failure.value.problems == [
        "line 3: nomination_email: 'two@kth.example' differs from 'one@kth.example' on line 2"
    ]


def test_other_unknown_columns_are_still_refused():
    with translation.override("en"), pytest.raises(ImportFailed) as failure:
        import_partners_csv(f"{HEADER},nomination_mail\n{KTH},a@b.example\n")
    assert failure.value.problems == ["line 1: header: unknown column(s): nomination_mail"]
