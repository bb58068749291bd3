"""The admin's pages carry the portal's icon, as the portal's own pages do."""

import pytest
from django.urls import reverse


@pytest.mark.django_db
@pytest.mark.parametrize(
    "page", ["admin:index", "admin:programmes_partner_changelist", "admin:programmes_partner_add"]
)
def test_admin_pages_name_the_portals_icon(admin_client, page):
    content = admin_client.get(reverse(page)).content.decode()
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in content
    assert content.count('rel="icon"') == 1
    assert 'id="site-name"' in content  # the rest of Django's page is kept
