"""Once applications name them, an agreement keeps its kind and partner and a call its academic
year: changing them in the admin rewrote what students chose and where seats are counted."""

import pytest
from django.core.exceptions import ValidationError

from apps.programmes.models import AgreementKind
from tests.applications.factories import draft_with_choice
from tests.factories import AgreementFactory, CallFactory, PartnerFactory

pytestmark = pytest.mark.django_db


def chosen_agreement(student):
    agreement = AgreementFactory()
    application = draft_with_choice(student)
    application.choices.update(agreement=agreement)
    return agreement, application


@pytest.mark.parametrize("field", ["kind", "partner"])
def test_an_agreement_applications_name_keeps_its_kind_and_partner(student, field):
    agreement, _application = chosen_agreement(student)
    if field == "kind":
        agreement.kind = AgreementKind.MASTER
    else:
        agreement.partner = PartnerFactory()
    with pytest.raises(ValidationError) as refused:
        agreement.full_clean()
    assert list(refused.value.message_dict) == [field]


def test_its_seats_and_years_still_change(student):
    agreement, _application = chosen_agreement(student)
    agreement.seats_per_year = 5
    agreement.last_year = 2030
    agreement.full_clean()
    agreement.save()
    agreement.refresh_from_db()
    assert (agreement.seats_per_year, agreement.last_year) == (5, 2030)


def test_an_agreement_nobody_chose_changes_freely():
    agreement = AgreementFactory()
    partner = PartnerFactory()
    agreement.kind = AgreementKind.MASTER
    agreement.partner = partner
    agreement.full_clean()
    agreement.save()
    agreement.refresh_from_db()
    assert (agreement.kind, agreement.partner) == (AgreementKind.MASTER, partner)


def test_a_call_with_applications_keeps_its_academic_year(student):
    call = draft_with_choice(student).call
    call.academic_year += 1
    with pytest.raises(ValidationError) as refused:
        call.full_clean()
    assert list(refused.value.message_dict) == ["academic_year"]


def test_a_call_without_applications_moves_to_another_year():
    call = CallFactory()
    year = call.academic_year + 1
    call.academic_year = year
    call.full_clean()
    call.save()
    call.refresh_from_db()
    assert call.academic_year == year


def test_the_admin_shows_the_refusal_on_the_form(client, admin_user, student):
    from django.urls import reverse

    agreement, _application = chosen_agreement(student)
    client.force_login(admin_user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    url = reverse("admin:programmes_agreement_change", args=[agreement.pk])
    response = client.post(
        url,
        {
            "partner": agreement.partner_id,
            "kind": AgreementKind.MASTER,
            "seats_per_year": agreement.seats_per_year,
            "first_year": agreement.first_year,
            "last_year": "",
            "requirements": "",
        },
    )
    assert response.status_code == 200
    assert "Applications name this agreement" in response.content.decode()
    agreement.refresh_from_db()
    assert agreement.kind == AgreementKind.EXCHANGE


def nominated_under(student):
    from apps.applications.models import ApplicationState

    agreement, application = chosen_agreement(student)
    application.state = ApplicationState.NOMINATED
    application.nominated_choice = application.choices.get()
    application.save()
    return agreement, application.call.academic_year


def test_an_agreement_cannot_end_before_a_seat_it_gives(student):
    """Its seat would count nowhere: an agreement not in force in a year has none there."""
    agreement, year = nominated_under(student)
    agreement.last_year = year - 1
    with pytest.raises(ValidationError) as refused:
        agreement.full_clean()
    assert list(refused.value.message_dict) == ["last_year"]
    agreement.first_year = year + 1
    agreement.last_year = None
    with pytest.raises(ValidationError) as refused:
        agreement.full_clean()
    assert list(refused.value.message_dict) == ["first_year"]


def test_it_may_end_with_the_year_of_its_last_seat_or_once_given_back(student):
    from apps.applications.models import Application, ApplicationState

    agreement, year = nominated_under(student)
    agreement.first_year = year
    agreement.last_year = year
    agreement.full_clean()  # ends with the seat's year: allowed
    Application.objects.update(state=ApplicationState.WITHDRAWN)
    agreement.last_year = year - 1
    agreement.first_year = year - 1
    agreement.full_clean()  # the seat was given back
    agreement.save()
    agreement.refresh_from_db()
    assert agreement.last_year == year - 1


def test_an_agreement_keeps_as_many_seats_as_nominations_hold(student, english):
    """Fewer would leave the nominated student without a seat, the allocation over its count."""
    agreement, year = nominated_under(student)
    agreement.seats_per_year = 0
    with pytest.raises(ValidationError) as refused:
        agreement.full_clean()
    assert refused.value.message_dict["seats_per_year"] == [
        f"1 student holds a seat under this agreement in {year}–{year + 1}: it cannot have "
        "fewer seats."
    ]
    agreement.seats_per_year = 1
    agreement.full_clean()


def test_a_year_that_is_over_does_not_hold_its_seats(student):
    """Seats per year are one figure: next year's may be fewer than a past year's nominations."""
    from django.utils import timezone

    from apps.programmes.models import Call, academic_year_of

    agreement, _year = nominated_under(student)
    past = academic_year_of(timezone.localdate()) - 1
    Call.objects.update(academic_year=past)
    agreement.first_year = past
    agreement.seats_per_year = 0
    agreement.full_clean()


def test_the_admin_says_students_read_an_agreements_notes(client, admin_user):
    """The notes are printed on the partner's page in the catalogue: an officer editing them in
    the admin must not take them for a note to colleagues."""
    from html import unescape

    from django.urls import reverse

    from tests.factories import AgreementFactory

    agreement = AgreementFactory(notes="Apply to the host's portal by 15 March.")
    client.force_login(admin_user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    page = client.get(reverse("admin:programmes_agreement_change", args=[agreement.pk]))
    assert "Students read them on the partner's page" in unescape(page.content.decode())
    catalogue = client.get(reverse("programmes:partner_detail", args=[agreement.partner_id]))
    assert "Apply to the host's portal by 15 March." in unescape(catalogue.content.decode())
