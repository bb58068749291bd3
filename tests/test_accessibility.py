"""What assistive technology reads off the shared templates: labels, errors, announcements."""

import re
from pathlib import Path

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
        assert re.search(rf'id="{described}"[^>]*>Sélectionnez un choix valide', html)


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


STATIC = Path(__file__).resolve().parents[1] / "static"


def luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(one: str, other: str) -> float:
    high, low = sorted((luminance(one), luminance(other)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("kind", ["danger", "warning", "info", "success", "secondary"])
def test_links_and_code_in_an_alert_are_readable(kind):
    """A plan finding's rule code (alert-danger, -warning, -info) and a link in an alert
    ("Add one to your plan", "See why"): their colour, computed from the stylesheets, against
    the alert's background is 4.5:1 or more."""
    bootstrap = (STATIC / "vendor/bootstrap/css/bootstrap.min.css").read_text()
    portal = (STATIC / "css/portal.css").read_text()
    light = re.search(r":root,\[data-bs-theme=light\]\{([^}]*)\}", bootstrap).group(1)
    variables = dict(re.findall(r"--bs-([a-z-]+):(#[0-9a-f]{6})", light))
    alert = re.search(rf"\.alert-{kind}\{{([^}}]*)\}}", bootstrap).group(1)
    background = variables[re.search(r"--bs-alert-bg:var\(--bs-([a-z-]+)\)", alert).group(1)]
    link_colour = variables[
        re.search(r"--bs-alert-link-color:var\(--bs-([a-z-]+)\)", alert).group(1)
    ]
    for selector in (r"\.alert a:not\(\.btn\)", r"\.alert code"):
        rule = re.search(rf"{selector}[^{{]*\{{([^}}]*)\}}", portal)
        assert rule and "color: var(--bs-alert-link-color)" in rule.group(1)
    assert contrast(link_colour, background) >= 4.5
    # What the rule replaces: Bootstrap's link and code colours on that background.
    assert contrast(variables["link-color"], background) < 4.5
    assert contrast(variables["code-color"], background) < 4.5
