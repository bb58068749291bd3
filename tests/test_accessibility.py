"""What assistive technology reads off the shared templates: labels, errors, announcements."""

import re

import pytest
from django.urls import reverse


def described_ids(html: str) -> list[str]:
    return [i for ids in re.findall(r'aria-describedby="([^"]*)"', html) for i in ids.split()]


@pytest.mark.django_db
def test_a_filters_error_is_the_description_of_its_menu(client):
    """The catalogue's filters (and the DRI queue's, the same template): a refused value's
    message is what the menu's aria-describedby names, not a dangling id."""
    response = client.get(reverse("programmes:catalogue"), {"kind": "bogus"})
    html = response.content.decode()
    menu = re.search(r'<select name="kind"[^>]*>', html).group(0)
    assert 'aria-invalid="true"' in menu
    ids = described_ids(menu)
    assert ids
    for described in ids:
        assert re.search(rf'id="{described}"[^>]*>\s*<div>Sélectionnez un choix valide', html)


def alerts(html: str) -> list[str]:
    return re.findall(r'<div class="alert alert-danger" role="alert">(.*?)</div>', html, re.S)


@pytest.mark.django_db
def test_a_refused_login_is_announced(client, student):
    """crispy-forms wrote the form's own error in a plain box, never read out on arrival."""
    response = client.post(
        reverse("login"),
        {"username": student.email, "password": "not-it"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    (summary,) = alerts(response.content.decode())
    assert "password is wrong" in summary


@pytest.mark.django_db
def test_an_activity_refused_says_so_at_the_top_with_a_link_to_each_field(client, student):
    """The plan editor's form after a refused save: a summary, announced, linking to the fields
    in error (each one's message stays under it, tied by aria-describedby)."""
    client.force_login(student)
    response = client.post(reverse("applications:activity_add"), {"kind": "exchange_semester"})
    html = response.content.decode()
    (summary,) = alerts(html)
    links = re.findall(r'<a class="alert-link" href="#([^"]+)">', summary)
    assert links[:2] == ["id_start", "id_end"]
    for control in links:
        assert re.search(
            rf'<(input|select|textarea)[^>]*aria-invalid="true"[^>]*id="{control}"', html
        )
