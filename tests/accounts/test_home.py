import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import AgreementFactory, PartnerFactory, StudentProfileFactory


@pytest.mark.django_db
def test_student_home_is_the_student_dashboard(client, student):
    client.force_login(student)
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url == reverse("applications:dashboard")


@pytest.mark.django_db
def test_advisor_home_lists_only_own_advisees(client, advisor, student, other_student):
    client.force_login(advisor)
    content = client.get(reverse("home")).content.decode()
    assert student.student_profile.student_number in content
    assert other_student.student_profile.student_number not in content


@pytest.mark.django_db
def test_advisor_home_query_count_is_flat(client, advisor, settings, django_assert_max_num_queries):
    settings.CATALOGUE_PAGE_SIZE = 20
    StudentProfileFactory.create_batch(30, advisor=advisor)
    client.force_login(advisor)
    with django_assert_max_num_queries(6):
        response = client.get(reverse("home"))
    assert response.content.decode().count("<tr>") == 21  # the heading and a page of 20


@pytest.mark.django_db
def test_staff_home_summarises_partnerships(client, dri):
    AgreementFactory(kind="double_degree", seats_per_year=3)
    AgreementFactory(kind="exchange", seats_per_year=4)
    client.force_login(dri)
    response = client.get(reverse("home"))
    summary = response.context["summary"]
    assert summary["partners"] == 2
    seats = {row["kind"]: row["seats"] for row in summary["kinds"]}
    assert seats == {"double_degree": 3, "master": 0, "exchange": 4}


@pytest.mark.django_db
def test_staff_home_leaves_ended_agreements_out(client, dri):
    """An agreement that ended in 2020 is no partnership at a glance, nor its seats; one that
    starts next year is (students apply a year ahead)."""
    from apps.programmes.models import academic_year_of

    this_year = academic_year_of(timezone.localdate())
    AgreementFactory(kind="double_degree", seats_per_year=3, first_year=2018, last_year=2020)
    AgreementFactory(kind="double_degree", seats_per_year=5, first_year=this_year + 1)
    AgreementFactory(kind="exchange", seats_per_year=4, last_year=this_year)
    client.force_login(dri)
    kinds = {row["kind"]: row for row in client.get(reverse("home")).context["summary"]["kinds"]}
    assert (kinds["double_degree"]["count"], kinds["double_degree"]["seats"]) == (1, 5)
    assert (kinds["exchange"]["count"], kinds["exchange"]["seats"]) == (1, 4)


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["dri", "dfi"])
def test_staff_home_links_the_regulation_versions(client, request, persona):
    """The DFI may read the regulation versions (the figures its validations rest on), but the
    only link to them was on the Operations page, which the DFI cannot open."""
    client.force_login(request.getfixturevalue(persona))
    content = client.get(reverse("home")).content.decode()
    url = reverse("reviews:regulations")
    assert f'href="{url}"' in content
    page = client.get(url)
    assert page.status_code == 200
    publish = reverse("reviews:regulation_publish")
    assert (f'href="{publish}"' in page.content.decode()) is (persona == "dri")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("countries", "sentence"),
    [
        (["SE"], "1 partner institution in one country."),
        (["SE", "SE"], "2 partner institutions in one country."),
        (["SE", "NO"], "2 partner institutions in 2 countries."),
    ],
)
def test_staff_home_counts_partners_and_countries_in_the_singular_or_the_plural(
    client, dri, countries, sentence
):
    """ "1 partner institutions in 1 countries": one sentence for every count."""
    for country in countries:
        PartnerFactory(country=country)
    client.force_login(dri)
    content = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert sentence in content


@pytest.mark.django_db
def test_advisor_home_lists_advisees_by_name_a_page_at_a_time(client, advisor, settings):
    """A filière's students, every year of them: they were all listed at once, in no order."""
    settings.CATALOGUE_PAGE_SIZE = 2
    for last_name in ("Zola", "Martin", "Abadie"):
        StudentProfileFactory(advisor=advisor, user__last_name=last_name)
    client.force_login(advisor)
    first = client.get(reverse("home"))
    assert [profile.user.last_name for profile in first.context["advisees"]] == [
        "Abadie",
        "Martin",
    ]
    assert 'href="?page=2"' in first.content.decode()
    second = client.get(reverse("home"), {"page": 2})
    assert [profile.user.last_name for profile in second.context["advisees"]] == ["Zola"]


@pytest.mark.django_db
def test_advisor_home_finds_an_advisee_by_name_or_number(client, advisor, other_student):
    StudentProfileFactory(advisor=advisor, user__last_name="Martin", student_number="22000001")
    StudentProfileFactory(advisor=advisor, user__last_name="Zola", student_number="22000002")
    client.force_login(advisor)
    for search in ("martin", "22000001"):
        response = client.get(reverse("home"), {"q": search})
        assert [profile.user.last_name for profile in response.context["advisees"]] == ["Martin"]
        assert f'value="{search}"' in response.content.decode()
    # Another advisor's student is not found, and the page says nothing matches.
    response = client.get(
        reverse("home"),
        {"q": other_student.student_profile.student_number},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert list(response.context["advisees"]) == []
    assert "No student of yours matches this search." in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("persona", "first", "queue_label"),
    [
        ("dri", "reviews:queue", "Applications to review"),
        ("dfi", "reviews:validation_queue", "Applications"),
    ],
)
def test_staff_home_leads_with_each_office_s_own_work(client, request, persona, first, queue_label):
    """The DFI validates summer projects and internships and only reads the applications: its
    home led with "Applications to review", its own work coming last."""
    client.force_login(request.getfixturevalue(persona))
    AgreementFactory()
    content = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    section = content[content.index('id="summary-title"') :]
    primary = section.index('class="btn btn-primary"')
    assert section[primary:].split('href="')[1].startswith(reverse(first))
    queue_link = f'href="{reverse("reviews:queue")}">{queue_label}</a>'
    assert queue_link in section
    assert section.count(f'href="{reverse("reviews:validation_queue")}"') == 1
