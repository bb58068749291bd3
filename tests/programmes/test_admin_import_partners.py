"""The DRI imports partners and agreements from the admin: a CSV file uploaded, checked in full,
previewed, and written once confirmed. Only `manage.py import_partners` read it, which the DRI
asked IT to run."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.programmes.forms import PARTNERS_FILE_MAX_BYTES, preview_token
from apps.programmes.models import Agreement, Partner

pytestmark = pytest.mark.django_db

SAMPLE = Path(__file__).parents[1] / "data" / "partners_sample.csv"
HEADER = (
    "name,country,city,website,hei_id,languages,fields,agreement_kind,seats_per_year,"
    "first_year,last_year,language_requirement,notes\n"
)
IMPORT = reverse("admin:programmes_partner_import")


def upload(client, content: bytes, name: str = "partners.csv"):
    return client.post(IMPORT, {"file": SimpleUploadedFile(name, content, "text/csv")})


def confirmation(preview) -> dict[str, str]:
    """What the preview's Import button sends."""
    return {name: preview.context["confirm"][name].value() for name in ("text", "digest")}


@pytest.fixture
def dri_client(client, dri):
    client.force_login(dri)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def test_the_partners_list_links_to_the_import(dri_client):
    page = dri_client.get(reverse("admin:programmes_partner_changelist")).content.decode()
    assert IMPORT in page


def test_a_good_file_is_previewed_then_written_once_confirmed(
    dri_client, django_assert_max_num_queries
):
    text = HEADER + (
        "Universität Vorschau,DE,Berlin,,vorschau.de,de;en,Computer science,exchange,3,2027,,,\n"
        "Universität Vorschau,DE,,,,,,master,1,2027,2030,,\n"
    )

    with django_assert_max_num_queries(20):
        preview = upload(dri_client, text.encode())

    page = preview.content.decode()
    assert preview.status_code == 200
    assert "1 partner created, 0 updated; 2 agreements created, 0 updated." in page
    assert not Partner.objects.filter(name="Universität Vorschau").exists()

    done = dri_client.post(IMPORT, confirmation(preview), follow=True)

    partner = Partner.objects.get(name="Universität Vorschau")
    assert sorted(partner.agreements.values_list("kind", flat=True)) == ["exchange", "master"]
    assert done.redirect_chain[-1][0] == reverse("admin:programmes_partner_changelist")
    assert "Partners file imported." in done.content.decode()


def test_the_sample_file_is_previewed(dri_client):
    preview = upload(dri_client, SAMPLE.read_bytes())
    assert preview.status_code == 200
    assert "created" in preview.context["preview"]
    assert not Partner.objects.exists()


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"", "The submitted file is empty."),
        (b"\xef\xbb\xbf\r\n", "header: missing"),
        ("name,country\nÉcole,FR\n".encode("cp1252"), "not valid UTF-8"),
        (b"\x00\x01binary", "NUL character"),
        (
            (HEADER + "X,DE,,,,,,exchange,lots,2027,,,\n").encode(),
            "line 2: seats_per_year",
        ),
        (
            (HEADER.replace(",", ";") + "X;ZZ;;;;;;exchange;2;2027;;;\n").encode(),
            "line 2: country",
        ),
    ],
)
def test_a_bad_file_names_its_problems_and_writes_nothing(dri_client, content, problem):
    response = upload(dri_client, content)

    assert response.status_code == 400
    assert problem in response.content.decode()
    assert not Partner.objects.exists()
    assert not Agreement.objects.exists()


def test_a_byte_order_mark_and_semicolons_are_read(dri_client):
    text = HEADER.replace(",", ";") + "Universidad Punto y Coma;ES;;;;es;;exchange;2;2027;;;\n"
    response = upload(dri_client, b"\xef\xbb\xbf" + text.encode())
    assert response.status_code == 200
    assert "1 partner created" in response.content.decode()


def test_a_file_too_large_is_refused(dri_client):
    response = upload(dri_client, b"x" * (PARTNERS_FILE_MAX_BYTES + 1))
    assert response.status_code == 400
    assert "The file is larger than" in response.content.decode()


def test_no_file_is_a_form_error(dri_client):
    response = dri_client.post(IMPORT, {})
    assert response.status_code == 400
    assert response.context["upload_form"].errors


def test_a_confirmed_file_that_became_wrong_meanwhile_writes_nothing(dri_client):
    """Confirmed text is checked again: a file sent back changed, or a portal that changed
    since the preview, is refused with its problems."""
    text = HEADER + "X,ZZ,,,,,,exchange,2,2027,,,\n"
    response = dri_client.post(IMPORT, {"text": text, "digest": preview_token(text, "")})
    assert response.status_code == 400
    assert "line 2: country" in response.content.decode()
    assert not Partner.objects.exists()


def test_people_who_do_not_manage_the_catalogue_cannot_import(client, dfi):
    client.force_login(dfi)
    response = upload(client, (HEADER + "X,DE,,,,,,exchange,2,2027,,,\n").encode())
    assert response.status_code in (302, 403)
    assert not Partner.objects.exists()


@pytest.mark.parametrize("text", ["", "name,country\x00\n"])
def test_a_confirmation_without_a_whole_text_says_so_and_writes_nothing(dri_client, text):
    """A confirmation cut short or tampered with (no text, or one the form refuses) showed the
    upload page again, status 200, as if nothing had been sent."""
    response = dri_client.post(IMPORT, {"text": text})

    assert response.status_code == 400
    assert (
        "Nothing was imported: the file&#x27;s text did not come back whole with your "
        "confirmation. Upload the file again." in response.content.decode()
    )
    assert not Partner.objects.exists()


def test_the_problems_are_in_the_readers_language(client, dri, french):
    """The page was French but for its problem lines, built in English for the command."""
    french("line %(line)s: %(field)s: %(problem)s", "ligne %(line)s : %(field)s : %(problem)s")
    french("unknown country code '%(code)s' (ISO 3166-1 alpha-2)", "pays inconnu '%(code)s'")
    french("row", "ligne entière", context="where a CSV file has a problem")
    client.force_login(dri)  # in French, the portal's language
    text = HEADER + "X,ZZ,,,,,,exchange,2,2027,,,\nY,DE\n"

    page = upload(client, text.encode()).content.decode()

    assert "ligne 2 : country : pays inconnu &#x27;ZZ&#x27;" in page
    assert "ligne 3 : ligne entière : a 2 cellules, l&#x27;en-tête en a 13" in page
    assert "unknown country code" not in page
    assert "line 2:" not in page


def test_a_confirmation_cut_short_in_its_text_imports_nothing(dri_client):
    """A request cut short keeps the text up to the cut: its first rows were imported, the
    others not, and the page said the file was imported."""
    text = HEADER + "".join(f"Universität {n},DE,,,,,,exchange,2,2027,,,\n" for n in range(3))
    preview = upload(dri_client, text.encode())
    cut = text[: text.index("Universität 2")]

    response = dri_client.post(IMPORT, {"text": cut})
    tampered = dri_client.post(IMPORT, {"text": cut, "digest": confirmation(preview)["digest"]})

    assert (response.status_code, tampered.status_code) == (400, 400)
    assert "did not come back whole" in tampered.content.decode()
    assert not Partner.objects.exists()


def test_the_confirmation_may_come_back_with_a_browsers_line_breaks(dri_client):
    """A browser sends a form's values back with \\r\\n line breaks, whatever the file's."""
    text = HEADER + "Universität Zeilen,DE,,,,,,exchange,2,2027,,,\n"
    preview = upload(dri_client, text.encode())
    sent = confirmation(preview)

    dri_client.post(IMPORT, {**sent, "text": sent["text"].replace("\n", "\r\n")})

    assert Partner.objects.filter(name="Universität Zeilen").exists()


def test_a_file_imported_from_the_admin_previews_as_unchanged_the_second_time(dri_client):
    """A cell's line break came back from the browser as \\r\\n: the import wrote what the
    preview had not counted, and the same file previewed again changed that note again."""
    text = HEADER + 'Universität Notizen,DE,,,,,,exchange,2,2027,,,"Two lines\nof notes"\n'
    sent = confirmation(upload(dri_client, text.encode()))
    dri_client.post(IMPORT, {**sent, "text": sent["text"].replace("\n", "\r\n")})

    again = upload(dri_client, text.encode())

    assert Agreement.objects.get().notes == "Two lines\nof notes"
    assert again.context["preview"] == (
        "0 partners created, 0 updated; 0 agreements created, 0 updated."
    )
