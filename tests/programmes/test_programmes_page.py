import pytest
from django.urls import reverse

from apps.rules.versions import DEFAULT_VERSION, VERSIONS


@pytest.mark.django_db
def test_programmes_page_quotes_regulation_figures_and_links_partners(client, settings):
    settings.DRI_CONTACT_EMAIL = "dri@school.example"
    settings.INTERNSHIP_CONTACT_EMAIL = "internships@school.example"
    response = client.get(reverse("programmes:programmes"), HTTP_ACCEPT_LANGUAGE="en")
    content = response.content.decode()
    version = VERSIONS[DEFAULT_VERSION]
    assert response.status_code == 200
    assert f"At least {version.double_degree_minimum_months} months abroad" in content
    assert f"earn {version.semester_minimum_ects} ECTS" in content
    assert f"at least {version.fisea_minimum_weeks} weeks" in content
    for kind in ("double_degree", "master", "exchange"):
        assert f"{reverse('programmes:catalogue')}?kind={kind}" in content
    assert "dri@school.example" in content
    assert "internships@school.example" in content
