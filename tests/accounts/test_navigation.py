import re

import pytest
from django.urls import reverse


def current_links(content: str) -> list[str]:
    """The menu links marked as the page shown."""
    return re.findall(r'<a class="nav-link active" aria-current="page" href="([^"]+)"', content)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "page", ["applications:plan", "applications:application_list", "applications:dashboard"]
)
def test_the_menu_marks_the_page_shown(client, student, page):
    client.force_login(student)
    content = client.get(reverse(page)).content.decode()
    expected = reverse("home") if page == "applications:dashboard" else reverse(page)
    assert current_links(content) == [expected]


@pytest.mark.django_db
def test_a_page_outside_the_menu_marks_none(client, student):
    client.force_login(student)
    content = client.get(reverse("notifications:list")).content.decode()
    assert current_links(content) == []
