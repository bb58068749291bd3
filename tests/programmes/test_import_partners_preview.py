"""The partners import never erases silently: an empty optional cell keeps what the portal
holds, a single "-" empties the field, and the admin's preview lists every value the import
creates, changes or erases (counted at the top) before anything is written, which the
confirmation then writes only if it is still exactly that."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from apps.programmes.forms import text_digest
from apps.programmes.importing import COLUMNS, ImportFailed, Outcome, import_partners_csv
from apps.programmes.models import Agreement, AgreementKind, Partner
from tests.factories import AgreementFactory, LanguageFactory, PartnerFactory, StudyFieldFactory

pytestmark = pytest.mark.django_db

IMPORT = reverse("admin:programmes_partner_import")
# The tester's file: nomination_email after hei_id.
HEADER = (
    "name,country,city,website,hei_id,nomination_email,languages,fields,agreement_kind,"
    "seats_per_year,first_year,last_year,language_requirement,notes"
)
POLIMI_ROW = "Politecnico di Milano,IT,Milano,,,incoming@polimi.it,it;en,,exchange,2,2024,,,"


def polimi() -> Agreement:
    """Politecnico di Milano as the portal holds it before the tester's import."""
    partner = PartnerFactory(
        name="Politecnico di Milano",
        country="IT",
        city="Milan",
        website="https://www.polimi.it",
        hei_id="polimi.it",
        nomination_email="",
    )
    partner.languages.add(LanguageFactory(code="it", name="Italian"), LanguageFactory(code="en"))
    partner.fields.add(
        StudyFieldFactory(slug="architecture", name="Architecture"),
        StudyFieldFactory(slug="design", name="Design"),
        StudyFieldFactory(slug="mechanical-engineering", name="Mechanical engineering"),
    )
    return AgreementFactory(
        partner=partner,
        kind=AgreementKind.EXCHANGE,
        seats_per_year=4,
        first_year=2024,
        last_year=2028,
        language_requirement="English B2",
        notes="Courses in English from the second semester.",
    )


def polimi_values() -> dict[str, object]:
    partner = Partner.objects.get(name="Politecnico di Milano")
    agreement = partner.agreements.get(kind=AgreementKind.EXCHANGE)
    return {
        "city": partner.city,
        "website": partner.website,
        "hei_id": partner.hei_id,
        "nomination_email": partner.nomination_email,
        "languages": sorted(partner.languages.values_list("code", flat=True)),
        "fields": sorted(partner.fields.values_list("slug", flat=True)),
        "seats_per_year": agreement.seats_per_year,
        "first_year": agreement.first_year,
        "last_year": agreement.last_year,
        "language_requirement": agreement.language_requirement,
        "notes": agreement.notes,
    }


BEFORE = {
    "city": "Milan",
    "website": "https://www.polimi.it",
    "hei_id": "polimi.it",
    "nomination_email": "",
    "languages": ["en", "it"],
    "fields": ["architecture", "design", "mechanical-engineering"],
    "seats_per_year": 4,
    "first_year": 2024,
    "last_year": 2028,
    "language_requirement": "English B2",
    "notes": "Courses in English from the second semester.",
}


# --- the rule: an empty cell keeps, "-" erases ----------------------------------------------


def test_empty_optional_cells_keep_every_value_the_portal_holds():
    polimi()
    row = "Politecnico di Milano,IT,,,,,,,exchange,4,2024,,,"

    report = import_partners_csv(f"{HEADER}\n{row}\n")

    assert polimi_values() == BEFORE
    assert report.partners[Outcome.UNCHANGED] == 1
    assert report.agreements[Outcome.UNCHANGED] == 1
    assert report.changes == []


def test_a_dash_erases_each_optional_value_on_purpose():
    polimi()
    row = "Politecnico di Milano,IT,-,-,-,-,-,-,exchange,4,2024,-,-,-"

    report = import_partners_csv(f"{HEADER}\n{row}\n")

    assert polimi_values() == {
        **BEFORE,
        "city": "",
        "website": "",
        "hei_id": "",
        "languages": [],
        "fields": [],
        "last_year": None,
        "language_requirement": "",
        "notes": "",
    }
    # nomination_email was already empty: emptying it again changes nothing.
    assert report.erased == 8


def test_a_dash_on_a_new_partner_leaves_the_field_empty():
    row = "Universität Strich,DE,-,-,-,-,-,-,exchange,2,2024,-,-,-"

    import_partners_csv(f"{HEADER}\n{row}\n")

    partner = Partner.objects.get(name="Universität Strich")
    agreement = partner.agreements.get()
    assert (partner.city, partner.website, partner.hei_id) == ("", "", "")
    assert not partner.languages.exists()
    assert (agreement.last_year, agreement.language_requirement) == (None, "")


def test_a_list_given_on_another_row_of_the_partner_is_kept_by_an_empty_cell():
    """Languages and fields are the union of the rows that give them; a row leaving them empty
    neither adds nor takes away."""
    polimi()
    text = (
        f"{HEADER}\n"
        "Politecnico di Milano,IT,,,,,,Physics;Design,exchange,4,2024,,,\n"
        "Politecnico di Milano,IT,,,,,,,master,1,2025,,,\n"
    )

    import_partners_csv(text)

    assert polimi_values()["fields"] == ["design", "physics"]
    assert polimi_values()["languages"] == ["en", "it"]


@pytest.mark.parametrize(
    ("rows", "problem"),
    [
        (
            [
                "Politecnico di Milano,IT,,,,,,-,exchange,4,2024,,,",
                "Politecnico di Milano,IT,,,,,,Design,,,,,,",
            ],
            "line 3: fields: cannot be both emptied ('-') and given values (line 2)",
        ),
        (
            [
                "Politecnico di Milano,IT,,,,,it,,exchange,4,2024,,,",
                "Politecnico di Milano,IT,,,,,-,,,,,,,",
            ],
            "line 3: languages: cannot be both emptied ('-') and given values (line 2)",
        ),
        (
            [
                "Politecnico di Milano,IT,Milano,,,,,,exchange,4,2024,,,",
                "Politecnico di Milano,IT,-,,,,,,,,,,,",
            ],
            "line 3: city: '-' differs from 'Milano' on line 2",
        ),
        (
            [
                "Politecnico di Milano,IT,-,,,,,,exchange,4,2024,,,",
                "Politecnico di Milano,IT,Milano,,,,,,,,,,,",
            ],
            "line 3: city: 'Milano' differs from '-' on line 2",
        ),
    ],
    ids=["fields", "languages", "erased-second", "erased-first"],
)
def test_rows_of_a_partner_that_erase_and_give_a_value_are_a_problem(rows, problem):
    polimi()

    with translation.override("en"), pytest.raises(ImportFailed) as failure:
        import_partners_csv("\n".join([HEADER, *rows]) + "\n")

    assert failure.value.problems == [problem]
    assert polimi_values() == BEFORE


def test_a_kept_last_year_is_still_checked_against_a_new_first_year():
    polimi()
    row = "Politecnico di Milano,IT,,,,,,,exchange,4,2030,,,"

    with translation.override("en"), pytest.raises(ImportFailed) as failure:
        import_partners_csv(f"{HEADER}\n{row}\n")

    assert failure.value.problems == [
        "line 2: last_year: The last year cannot come before the first year."
    ]
    assert polimi_values() == BEFORE


# --- the admin's preview ------------------------------------------------------------------


def upload(client, content: bytes):
    return client.post(IMPORT, {"file": SimpleUploadedFile("partners.csv", content, "text/csv")})


def confirmation(preview) -> dict[str, str]:
    """What the preview's Import button sends."""
    return {name: preview.context["confirm"][name].value() for name in ("text", "digest")}


@pytest.fixture
def dri_client(client, dri):
    client.force_login(dri)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def shown_changes(preview) -> dict[str, list[tuple[str, str, str, bool]]]:
    """By partner name, then "agreement kind", the changes the preview lists: (field, old,
    new, erased)."""
    shown = {}
    for partner in preview.context["report"].changes:
        shown[partner.name] = [
            (value.field, value.old_text, value.new_text, value.erased) for value in partner.values
        ]
        for agreement in partner.agreements:
            shown[f"{partner.name} {agreement.kind}"] = [
                (value.field, value.old_text, value.new_text, value.erased)
                for value in agreement.values
            ]
    return shown


def test_the_testers_politecnico_file_changes_only_what_its_preview_shows(dri_client):
    """The tester's file erased the fields of study, the language requirement, ... which the
    preview, "1 partner created, 1 updated; ...", had not shown."""
    polimi()
    text = (
        f"{HEADER}\n{POLIMI_ROW}\n"
        "Universidade de Lisboa,PT,Lisboa,,ulisboa.pt,,pt,Physics,exchange,3,2025,,Portuguese B1,\n"
    )

    preview = upload(dri_client, text.encode())

    assert preview.status_code == 200
    page = preview.content.decode()
    assert "1 partner created, 1 updated; 1 agreement created, 1 updated." in page
    assert "will be erased" not in page
    assert preview.context["report"].erased == 0
    assert shown_changes(preview) == {
        "Politecnico di Milano": [
            ("city", "Milan", "Milano", False),
            ("nomination_email", "", "incoming@polimi.it", False),
        ],
        "Politecnico di Milano exchange": [("seats_per_year", "4", "2", False)],
        "Universidade de Lisboa": [
            ("city", "", "Lisboa", False),
            ("hei_id", "", "ulisboa.pt", False),
            ("languages", "", "Portuguese", False),
            ("fields", "", "Physics", False),
        ],
        "Universidade de Lisboa exchange": [
            ("seats_per_year", "", "3", False),
            ("first_year", "", "2025", False),
            ("language_requirement", "", "Portuguese B1", False),
        ],
    }
    assert "Milan" in page and "Milano" in page and "incoming@polimi.it" in page
    assert polimi_values() == BEFORE  # nothing written yet

    done = dri_client.post(IMPORT, confirmation(preview), follow=True)

    assert done.redirect_chain[-1][0] == reverse("admin:programmes_partner_changelist")
    assert polimi_values() == {
        **BEFORE,
        "city": "Milano",
        "nomination_email": "incoming@polimi.it",
        "seats_per_year": 2,
    }
    assert Partner.objects.filter(name="Universidade de Lisboa").exists()


def test_the_preview_flags_each_value_it_erases_and_counts_them_at_the_top(dri_client):
    polimi()
    row = "Politecnico di Milano,IT,,,,,,-,exchange,4,2024,,-,"

    preview = upload(dri_client, f"{HEADER}\n{row}\n".encode())

    page = preview.content.decode()
    assert preview.context["report"].erased == 2
    assert 'data-erased="2"' in page
    assert "2 values will be erased" in page
    assert "2 values erased" in page  # on the partner's line
    assert shown_changes(preview) == {
        "Politecnico di Milano": [
            ("fields", "Architecture; Design; Mechanical engineering", "", True),
        ],
        "Politecnico di Milano exchange": [("language_requirement", "English B2", "", True)],
    }
    assert page.count('class="import-erased"') == 2


def test_unchanged_rows_are_counted_not_listed(dri_client):
    polimi()
    for number in range(3):
        PartnerFactory(name=f"Uni {number}", country="FR", city="Lyon")
    text = HEADER + "\n" + "".join(f"Uni {number},FR,Lyon,,,,,,,,,,,\n" for number in range(3))
    text += "Politecnico di Milano,IT,Milano,,,,,,,,,,,\n"

    preview = upload(dri_client, text.encode())

    page = preview.content.decode()
    assert "Unchanged, not listed: 3 partners, 0 agreements." in page
    assert [partner.name for partner in preview.context["report"].changes] == [
        "Politecnico di Milano"
    ]
    assert 'data-partner="Uni 0"' not in page


@pytest.mark.parametrize("partners", [5, 40])
def test_the_preview_makes_as_many_queries_for_forty_partners_as_for_five(
    dri_client, django_assert_num_queries, partners
):
    """Every row of these changes a value, empties another, replaces a list and changes its
    agreement: the old values the preview shows are read with the rest."""
    english = LanguageFactory(code="en")
    physics = StudyFieldFactory(slug="physics", name="Physics")
    for number in range(partners):
        partner = PartnerFactory(name=f"Uni {number}", country="DE", hei_id=f"uni{number}.de")
        partner.languages.add(english)
        partner.fields.add(physics)
        AgreementFactory(partner=partner, seats_per_year=2, language_requirement="English B2")
    text = HEADER + "\n"
    text += "".join(
        f"Uni {number},DE,Moved {number},-,,,de,Chemistry,exchange,3,2024,,-,New\n"
        for number in range(partners)
    )

    with django_assert_num_queries(19):
        preview = upload(dri_client, text.encode())

    assert preview.status_code == 200
    assert len(preview.context["report"].changes) == partners
    assert preview.context["report"].erased == 2 * partners  # website, language requirement


def test_a_portal_changed_since_the_preview_imports_nothing_and_shows_what_it_would_do_now(
    dri_client,
):
    """The confirmation would have written a preview's file over a value it did not show."""
    agreement = polimi()
    preview = upload(dri_client, f"{HEADER}\n{POLIMI_ROW}\n".encode())
    # Meanwhile, someone else sets the seats the file sets.
    Agreement.objects.filter(pk=agreement.pk).update(seats_per_year=2)
    Partner.objects.filter(pk=agreement.partner_id).update(city="Milano (Lombardia)")

    refused = dri_client.post(IMPORT, confirmation(preview))

    assert refused.status_code == 409
    page = refused.content.decode()
    assert "Nothing was imported: partners or agreements of the file changed" in page
    assert polimi_values() == {**BEFORE, "city": "Milano (Lombardia)", "seats_per_year": 2}
    assert shown_changes(refused) == {
        "Politecnico di Milano": [
            ("city", "Milano (Lombardia)", "Milano", False),
            ("nomination_email", "", "incoming@polimi.it", False),
        ],
    }

    dri_client.post(IMPORT, confirmation(refused))

    assert polimi_values() == {
        **BEFORE,
        "city": "Milano",
        "nomination_email": "incoming@polimi.it",
        "seats_per_year": 2,
    }


def test_a_confirmation_sent_twice_says_the_file_is_in_already(dri_client):
    """The second click found the portal changed (by the first) and answered 409 'changed
    since your preview', showing a preview with nothing left to change."""
    polimi()
    preview = upload(dri_client, f"{HEADER}\n{POLIMI_ROW}\n".encode())
    first = dri_client.post(IMPORT, confirmation(preview))
    imported = polimi_values()

    second = dri_client.post(IMPORT, confirmation(preview), follow=True)

    assert first.status_code == 302
    assert second.redirect_chain[-1][0] == reverse("admin:programmes_partner_changelist")
    assert "The portal already holds everything this file says" in second.content.decode()
    assert polimi_values() == imported


def test_a_change_elsewhere_in_the_portal_does_not_refuse_the_confirmation(dri_client):
    agreement = polimi()
    other = PartnerFactory(name="Elsewhere", country="IT", city="Roma")
    preview = upload(dri_client, f"{HEADER}\n{POLIMI_ROW}\n".encode())
    Partner.objects.filter(pk=other.pk).update(city="Torino")

    dri_client.post(IMPORT, confirmation(preview))

    agreement.refresh_from_db()
    assert agreement.seats_per_year == 2


def test_a_confirmation_with_an_unsigned_digest_imports_nothing(dri_client):
    """The digest of the text alone, as the page sent it before: it does not say what the
    preview showed."""
    text = f"{HEADER}\n{POLIMI_ROW}\n"

    response = dri_client.post(IMPORT, {"text": text, "digest": text_digest(text)})

    assert response.status_code == 400
    assert "did not come back whole" in response.content.decode()
    assert not Partner.objects.exists()


def test_a_windows_1252_file_says_nothing_was_imported_as_other_problems_do(dri_client):
    text = ",".join(COLUMNS) + "\nÉcole Centrale,FR,,,,,,,,,,,\n"

    response = upload(dri_client, text.encode("cp1252"))

    page = response.content.decode()
    assert response.status_code == 400
    assert "Nothing was imported: the file has 1 problem. Correct it and upload it again." in page
    assert (
        "line 2: file: not valid UTF-8 (byte 0xc9): save the file as CSV UTF-8"
        in response.context["problems"]
    )
    assert not response.context["upload_form"].errors  # said once, in the problems
    assert not Partner.objects.exists()


def test_the_upload_page_lists_the_columns_and_the_empty_cell_rule(dri_client):
    page = dri_client.get(IMPORT).content.decode()

    for column in (*COLUMNS, "nomination_email"):
        assert f"<code>{column}</code>" in page
    assert "an empty cell keeps the value the portal holds" in page
    assert 'write a single "-" in its cell' in page
    assert "docs/partners-import.md" not in page
