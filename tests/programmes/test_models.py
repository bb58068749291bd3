import pytest
from django.db import IntegrityError

from tests.factories import AgreementFactory, PartnerFactory


@pytest.mark.django_db
def test_partner_name_is_unique_per_country():
    PartnerFactory(name="Politecnico di Milano", country="IT")
    PartnerFactory(name="Politecnico di Milano", country="CH")
    with pytest.raises(IntegrityError):
        PartnerFactory(name="Politecnico di Milano", country="IT")


@pytest.mark.django_db
def test_agreement_last_year_cannot_precede_first_year():
    with pytest.raises(IntegrityError):
        AgreementFactory(first_year=2025, last_year=2024)


@pytest.mark.django_db
def test_one_agreement_per_kind_and_partner():
    agreement = AgreementFactory(kind="master")
    with pytest.raises(IntegrityError):
        AgreementFactory(partner=agreement.partner, kind="master")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("first", "last", "shown"),
    [(2024, None, "2024–2025"), (2024, 2024, "2024–2025"), (2023, 2026, "2023–2024 … 2026–2027")],
)
def test_years_display(first, last, shown):
    assert shown in str(AgreementFactory.build(first_year=first, last_year=last).years_display)
