import re
from html import unescape

import pytest
from django.urls import reverse

from tests.factories import AgreementFactory, LanguageFactory, PartnerFactory, StudyFieldFactory


def partner_names(response) -> list[str]:
    """The partners listed, read off the page (its body is rendered once for every visitor)."""
    titles = re.findall(
        r'<h2 class="h5 card-title"><a [^>]*>([^<]*)</a>', response.content.decode()
    )
    return [unescape(title) for title in titles]


@pytest.fixture
def catalogue(db):
    german = LanguageFactory(code="de", name="German")
    english = LanguageFactory(code="en", name="English")
    telecom = StudyFieldFactory(slug="telecommunications", name="Telecommunications")
    berlin = PartnerFactory(name="TU Berlin", country="DE", city="Berlin")
    berlin.languages.set([german, english])
    berlin.fields.set([telecom])
    AgreementFactory(partner=berlin, kind="double_degree")
    kth = PartnerFactory(name="KTH Royal Institute of Technology", country="SE", city="Stockholm")
    kth.languages.set([english])
    AgreementFactory(partner=kth, kind="exchange")
    AgreementFactory(partner=kth, kind="master")
    PartnerFactory(name="Unicamp", country="BR", city="Campinas")
    return {"berlin": berlin, "kth": kth}


def test_anonymous_sees_every_partner(client, catalogue):
    response = client.get(reverse("programmes:catalogue"))
    assert response.status_code == 200
    assert partner_names(response) == ["KTH Royal Institute of Technology", "TU Berlin", "Unicamp"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"country": "DE"}, ["TU Berlin"]),
        ({"kind": "exchange"}, ["KTH Royal Institute of Technology"]),
        ({"kind": "master", "country": "DE"}, []),
        ({"language": "en"}, ["KTH Royal Institute of Technology", "TU Berlin"]),
        ({"language": "de"}, ["TU Berlin"]),
        ({"field": "telecommunications"}, ["TU Berlin"]),
        ({"q": "stockholm"}, ["KTH Royal Institute of Technology"]),
        ({"q": "telecom"}, ["TU Berlin"]),
        ({"q": "  "}, ["KTH Royal Institute of Technology", "TU Berlin", "Unicamp"]),
    ],
)
def test_filters(client, catalogue, query, expected):
    response = client.get(reverse("programmes:catalogue"), query)
    assert partner_names(response) == expected


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("ecole", ["École de technologie supérieure"]),
        ("SUPÉRIEURE", ["École de technologie supérieure"]),
        ("montreal", ["École de technologie supérieure"]),
        ("sao paulo", ["Universidade de São Paulo"]),
    ],
)
def test_search_as_people_type_without_accents_or_in_capitals(client, db, typed, expected):
    PartnerFactory(name="École de technologie supérieure", country="CA", city="Montréal")
    PartnerFactory(name="Universidade de São Paulo", country="BR", city="São Paulo")
    PartnerFactory(name="Unicamp", country="BR", city="Campinas")
    response = client.get(reverse("programmes:catalogue"), {"q": typed})
    assert partner_names(response) == expected


def test_unknown_filter_value_shows_error_not_crash(client, catalogue):
    response = client.get(reverse("programmes:catalogue"), {"country": "XX", "kind": "nope"})
    assert response.status_code == 200
    content = response.content.decode()
    assert content.count('class="invalid-feedback d-block"') == 2
    assert re.search(r'invalid-feedback d-block">[^<]*XX', content)


def test_pagination_keeps_filters(client, db, settings):
    settings.CATALOGUE_PAGE_SIZE = 20
    for number in range(25):
        AgreementFactory(partner__name=f"Uni {number:02d}", partner__country="IT", kind="exchange")
    first = client.get(reverse("programmes:catalogue"), {"country": "IT"})
    assert len(partner_names(first)) == 20
    assert "country=IT&amp;page=2" in first.content.decode()
    second = client.get(reverse("programmes:catalogue"), {"country": "IT", "page": 2})
    assert partner_names(second) == [f"Uni {number:02d}" for number in range(20, 25)]
    past_the_end = client.get(reverse("programmes:catalogue"), {"page": 99})
    assert past_the_end.status_code == 200


def test_catalogue_query_count_is_flat_with_50_partners(
    client, db, settings, django_assert_max_num_queries
):
    settings.CATALOGUE_PAGE_SIZE = 50
    english = LanguageFactory(code="en", name="English")
    field = StudyFieldFactory()
    for number in range(50):
        partner = PartnerFactory(name=f"Uni {number:02d}")
        partner.languages.set([english])
        partner.fields.set([field])
        AgreementFactory(partner=partner, kind="exchange")
        AgreementFactory(partner=partner, kind="master")
    # First visit: what the menus offer (3), then the body (8). Afterwards: none.
    with django_assert_max_num_queries(11):
        response = client.get(reverse("programmes:catalogue"))
    assert len(partner_names(response)) == 50
    with django_assert_max_num_queries(0):
        client.get(reverse("programmes:catalogue"))


def test_the_listing_follows_changes_to_partners(client, catalogue):
    """The body is kept between visits, and forgotten as soon as the catalogue changes."""
    assert partner_names(client.get(reverse("programmes:catalogue"), {"country": "BR"})) == [
        "Unicamp"
    ]
    PartnerFactory(name="USP", country="BR", city="São Paulo")
    catalogue["berlin"].languages.clear()
    listed = client.get(reverse("programmes:catalogue"), {"country": "BR"})
    assert partner_names(listed) == ["Unicamp", "USP"]  # as a dictionary sorts them
    german = client.get(reverse("programmes:catalogue"), {"language": "de"})
    assert partner_names(german) == []


def test_the_same_filters_in_any_order_share_one_rendering(client, catalogue):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(reverse("programmes:catalogue") + "?kind=exchange&country=SE")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("programmes:catalogue") + "?country=SE&kind=exchange")
    assert partner_names(response) == ["KTH Royal Institute of Technology"]
    assert not [query for query in queries if "programmes_partner" in query["sql"]]


def test_partner_page_lists_agreements(client, catalogue):
    response = client.get(reverse("programmes:partner_detail", args=[catalogue["kth"].pk]))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Stockholm" in content
    assert len(response.context["partner"].agreements.all()) == 2


def test_unknown_partner_is_404(client, db):
    assert client.get(reverse("programmes:partner_detail", args=[999999])).status_code == 404


def test_the_kept_body_is_kept_per_language(client, catalogue):
    french = client.get(reverse("programmes:catalogue"), headers={"accept-language": "fr"})
    english = client.get(reverse("programmes:catalogue"), headers={"accept-language": "en"})
    assert "3 partenaires trouvés" in french.content.decode()
    assert "3 partners found" in english.content.decode()
    again = client.get(reverse("programmes:catalogue"), headers={"accept-language": "fr"})
    assert "3 partenaires trouvés" in again.content.decode()


def test_free_text_searches_are_not_kept(client, catalogue):
    from apps.programmes.models import Partner

    assert partner_names(client.get(reverse("programmes:catalogue"), {"q": "berlin"})) == [
        "TU Berlin"
    ]
    # A bulk insert tells no memo: a kept search would miss the new partner.
    Partner.objects.bulk_create([Partner(name="Berlin School of Economics", country="DE")])
    listed = client.get(reverse("programmes:catalogue"), {"q": "berlin"})
    assert partner_names(listed) == ["Berlin School of Economics", "TU Berlin"]


def test_the_programme_filter_leaves_out_partners_whose_agreement_ended(client, catalogue):
    """Students filtering on double degrees are not sent to a partner whose double degree
    ended in 2020; one starting next year is listed, as they apply a year ahead."""
    from django.utils import timezone

    from apps.programmes.models import academic_year_of

    this_year = academic_year_of(timezone.localdate())
    AgreementFactory(partner__name="Ended", kind="double_degree", first_year=2016, last_year=2020)
    AgreementFactory(partner__name="Upcoming", kind="double_degree", first_year=this_year + 1)
    response = client.get(reverse("programmes:catalogue"), {"kind": "double_degree"})
    assert partner_names(response) == ["TU Berlin", "Upcoming"]


def badges(response, partner: str) -> list[str]:
    """The programme badges of one partner's card."""
    card = re.search(
        rf">{re.escape(partner)}</a></h2>(.*?)</article>", response.content.decode(), re.S
    )
    return re.findall(r'<span class="badge text-bg-primary me-1">([^<]*)</span>', card.group(1))


def test_a_card_names_only_the_programmes_still_offered(client, catalogue):
    """A partner's exchange agreement that ended is no badge on its card: the programme filter
    leaves the partner out of "Semester or year exchange", the application form offers no
    such destination, and the card said it was one."""
    AgreementFactory(partner=catalogue["berlin"], kind="exchange", first_year=2016, last_year=2020)
    response = client.get(reverse("programmes:catalogue"), HTTP_ACCEPT_LANGUAGE="en")
    assert badges(response, "TU Berlin") == ["Double degree"]
    assert badges(response, "KTH Royal Institute of Technology") == [
        "Semester or year exchange",
        "Master",
    ]


def test_the_partner_page_marks_an_agreement_that_ended(client, db):
    ended = AgreementFactory(
        partner__name="Imperial", kind="exchange", first_year=2016, last_year=2020
    )
    url = reverse("programmes:partner_detail", args=[ended.partner.pk])
    content = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "2016–2017 … 2020–2021" in content
    assert re.search(r"Semester or year exchange\s*<span[^>]*>ended</span>", content)
    assert "No agreement is in force with this institution" in content
    AgreementFactory(partner=ended.partner, kind="master", first_year=2016, last_year=None)
    content = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "No agreement is in force with this institution" not in content
