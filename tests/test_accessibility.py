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
