"""`manage.py import_partners`: CSV import of partner institutions and agreements."""

import csv
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import translation

from apps.programmes.importing import COLUMNS, ImportFailed, import_partners_csv
from apps.programmes.models import Agreement, AgreementKind, Language, Partner, StudyField
from tests.factories import AgreementFactory, LanguageFactory, PartnerFactory, StudyFieldFactory

DATA = Path(__file__).resolve().parent.parent / "data"
SAMPLE = DATA / "partners_sample.csv"
HEADER = ",".join(COLUMNS)
GOOD_ROW = (
    "KTH Royal Institute of Technology,SE,Stockholm,https://www.kth.se,kth.se,en;sv,"
    "Computer science,exchange,3,2024,,English B2,"
)

pytestmark = pytest.mark.django_db


def run_import(path: Path) -> str:
    stdout = io.StringIO()
    call_command("import_partners", str(path), stdout=stdout, stderr=io.StringIO())
    return stdout.getvalue()


def run_failing_import(path: Path) -> tuple[int, str]:
    stderr = io.StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("import_partners", str(path), stdout=io.StringIO(), stderr=stderr)
    return exit_info.value.code, stderr.getvalue()


def database_snapshot() -> dict[str, list]:
    return {
        "partners": list(Partner.objects.values_list("name", "country", "city", "website")),
        "agreements": list(
            Agreement.objects.values_list("partner__name", "kind", "seats_per_year")
        ),
        "languages": list(Language.objects.values_list("code", flat=True)),
        "fields": list(StudyField.objects.values_list("slug", flat=True)),
    }


def test_sample_file_creates_partners_and_agreements():
    output = run_import(SAMPLE)

    assert output == "6 partners created, 0 updated; 7 agreements created, 0 updated.\n"
    assert Partner.objects.count() == 6
    assert Partner.objects.values("country").distinct().count() == 6
    assert Agreement.objects.count() == 7
    berlin = Partner.objects.get(name="Technische Universität Berlin")
    assert (berlin.country.code, berlin.city, berlin.website, berlin.hei_id) == (
        "DE",
        "Berlin",
        "https://www.tu.berlin",
        "tu-berlin.de",
    )
    assert {language.code: language.name for language in berlin.languages.all()} == {
        "de": "German",
        "en": "English",
    }
    assert set(berlin.fields.values_list("slug", flat=True)) == {
        "computer-science",
        "electrical-engineering",
        "telecommunications",
    }
    double_degree, exchange = berlin.agreements.order_by("kind")
    assert (double_degree.kind, double_degree.seats_per_year, double_degree.first_year) == (
        AgreementKind.DOUBLE_DEGREE,
        4,
        2023,
    )
    assert double_degree.last_year is None
    assert double_degree.language_requirement == "German B1"
    assert double_degree.notes == "Two years in Berlin, master's thesis included."
    assert (exchange.kind, exchange.seats_per_year, exchange.last_year) == (
        AgreementKind.EXCHANGE,
        6,
        2027,
    )


def test_lower_case_country_and_partner_without_agreement():
    run_import(SAMPLE)

    milan = Partner.objects.get(name="Politecnico di Milano")
    assert milan.country.code == "IT"
    assert set(milan.agreements.values_list("kind", flat=True)) == {"double_degree", "master"}
    assert not Partner.objects.get(name="Tsinghua University").agreements.exists()
    assert Language.objects.get(code="zh").name == "Chinese"


def test_reimporting_the_same_file_changes_nothing():
    run_import(SAMPLE)
    before = database_snapshot()

    output = run_import(SAMPLE)

    assert output == "0 partners created, 0 updated; 0 agreements created, 0 updated.\n"
    assert database_snapshot() == before


def test_changed_seats_update_the_agreement(tmp_path):
    run_import(SAMPLE)
    changed = tmp_path / "changed.csv"
    changed.write_text(
        SAMPLE.read_text(encoding="utf-8").replace(
            "kth.se,en;sv,Computer science;Data science,exchange,3,",
            "kth.se,en;sv,Computer science;Data science,exchange,5,",
        ),
        encoding="utf-8",
    )

    output = run_import(changed)

    assert output == "0 partners created, 0 updated; 0 agreements created, 1 updated.\n"
    assert Agreement.objects.get(partner__name__startswith="KTH").seats_per_year == 5
    assert Agreement.objects.count() == 7


def test_existing_partner_is_matched_case_insensitively_and_its_lists_replaced():
    partner = PartnerFactory(name="technische universität BERLIN", country="DE", city="")
    partner.languages.add(LanguageFactory(code="fr", name="French"))
    partner.fields.add(StudyFieldFactory(slug="physics", name="Physics"))
    untouched = AgreementFactory(partner=partner, kind=AgreementKind.MASTER, seats_per_year=1)

    output = run_import(SAMPLE)

    assert output == "5 partners created, 1 updated; 7 agreements created, 0 updated.\n"
    partner.refresh_from_db()
    assert (partner.name, partner.city) == ("Technische Universität Berlin", "Berlin")
    assert set(partner.languages.values_list("code", flat=True)) == {"de", "en"}
    assert "physics" not in partner.fields.values_list("slug", flat=True)
    assert Agreement.objects.filter(pk=untouched.pk, seats_per_year=1).exists()


def test_a_partner_written_in_capitals_without_accents_is_the_same_partner(tmp_path):
    """ "TECHNISCHE UNIVERSITAT BERLIN" is the partner already there, not a duplicate."""
    partner = PartnerFactory(name="Technische Universität Berlin", country="DE", city="")
    capitals = SAMPLE.read_text().replace(
        "Technische Universität Berlin", "TECHNISCHE UNIVERSITAT BERLIN"
    )
    assert "TECHNISCHE UNIVERSITAT BERLIN" in capitals
    path = tmp_path / "partners.csv"
    path.write_text(capitals)
    run_import(path)
    assert Partner.objects.filter(country="DE", name__fold__contains="berlin").count() == 1
    partner.refresh_from_db()
    # The accents are kept: the file only lacks them.
    assert (partner.name, partner.city) == ("Technische Universität Berlin", "Berlin")


def test_both_spellings_in_one_file_are_one_partner(tmp_path):
    """Rows are grouped as partners are matched: a second agreement of the same kind under
    the other spelling is the duplicate it is, not a silent overwrite."""
    path = tmp_path / "partners.csv"
    path.write_text(
        "\n".join(
            [
                HEADER,
                "Technische Universität Berlin,DE,Berlin,,,de,,exchange,3,2024,,,",
                "TECHNISCHE UNIVERSITAT BERLIN,DE,Berlin,,,de,,exchange,5,2024,,,",
            ]
        )
        + "\n"
    )
    status, errors = run_failing_import(path)
    assert status != 0
    assert "duplicate agreement 'exchange'" in errors
    assert not Partner.objects.exists()


@pytest.mark.parametrize(
    ("bad_row", "problem"),
    [
        (
            "Atlantis Polytechnic,XX,,,,en,,exchange,2,2024,,,",
            "line 3: country: unknown country code 'XX' (ISO 3166-1 alpha-2)",
        ),
        (",DE,Berlin,,,de,,exchange,2,2024,,,", "line 3: name: required"),
        (
            "Aalto University,FI,Espoo,,,,,exchange,three,2024,,,",
            "line 3: seats_per_year: 'three' is not a whole number",
        ),
        (
            "Aalto University,FI,Espoo,,,,,exchange,-1,2024,,,",
            "line 3: seats_per_year: -1 is negative",
        ),
        (
            "Aalto University,FI,Espoo,,,,,erasmus,2,2024,,,",
            "line 3: agreement_kind: unknown kind 'erasmus' "
            "(one of double_degree, master, exchange)",
        ),
        (
            "Aalto University,FI,Espoo,,,,,exchange,2,2025,2023,,",
            "line 3: last_year: 2023 is before first_year 2025",
        ),
        (
            "Aalto University,FI,Espoo,,,,,exchange,2,25,,,",
            "line 3: first_year: '25' is not a 4-digit year",
        ),
        (
            "kth royal institute of technology,se,,,,,,exchange,1,2025,,,",
            "line 3: agreement_kind: duplicate agreement 'exchange' for "
            "KTH Royal Institute of Technology (SE), already on line 2",
        ),
        (
            "KTH Royal Institute of Technology,SE,Uppsala,,,,,master,1,2025,,,",
            "line 3: city: 'Uppsala' differs from 'Stockholm' on line 2",
        ),
        (
            "Aalto University,FI,Espoo,aalto.fi,,,,,,,,,",
            "line 3: website: 'aalto.fi' is not a valid http(s) URL",
        ),
        (
            "Aalto University,FI,Espoo,,,fin,,,,,,,",
            "line 3: languages: 'fin' is not a two-letter ISO 639-1 code",
        ),
        (
            "Aalto University,FI,Espoo,,,,,,2,2024,,,",
            "line 3: agreement_kind: required when seats_per_year, first_year is filled",
        ),
        ("Aalto University,FI,Espoo,,,", "line 3: row: has 6 cells, the header has 13"),
        ("Aalto University", "line 3: row: has 1 cell, the header has 13"),
        ("A" * 256 + ",FI,,,,,,,,,,,", "line 3: name: too long (256 characters, at most 255)"),
    ],
)
def test_bad_row_is_reported_and_nothing_is_written(bad_row, problem):
    good_row_after = "Tsinghua University,CN,Beijing,,,zh,Computer science,,,,,,"
    text = "\n".join([HEADER, GOOD_ROW, bad_row, good_row_after]) + "\n"

    # In English, as the command prints it (the admin's import page writes them in the
    # reader's language).
    with translation.override("en"), pytest.raises(ImportFailed) as failure:
        import_partners_csv(text)

    assert failure.value.problems == [problem]
    assert failure.value.exit_code == 1
    assert not Partner.objects.exists()
    assert not Language.objects.exists()


def test_command_reports_every_problem_of_the_file_and_writes_nothing():
    PartnerFactory(name="Aalto University", country="FI", city="Espoo")
    before = database_snapshot()

    exit_code, stderr = run_failing_import(DATA / "partners_bad_rows.csv")

    assert exit_code == 1
    # The first row's quoted notes span lines 2-3, so the next row is on line 4.
    assert stderr.splitlines() == [
        "line 4: country: unknown country code 'XX' (ISO 3166-1 alpha-2)",
        "line 5: name: required",
        "line 6: seats_per_year: 'three' is not a whole number",
        "line 7: seats_per_year: -1 is negative",
        "line 8: agreement_kind: unknown kind 'erasmus' (one of double_degree, master, exchange)",
        "line 9: last_year: 2023 is before first_year 2025",
        "line 10: agreement_kind: duplicate agreement 'exchange' for "
        "KTH Royal Institute of Technology (SE), already on line 2",
        "Nothing imported: 7 problems.",
    ]
    assert database_snapshot() == before


def test_missing_header_columns_exit_with_status_2():
    exit_code, stderr = run_failing_import(DATA / "partners_missing_columns.csv")

    assert exit_code == 2
    assert stderr.splitlines()[0] == (
        "line 1: header: missing column(s): hei_id, seats_per_year, language_requirement"
    )
    assert not Partner.objects.exists()


def test_the_command_prints_its_problems_in_english_whatever_the_catalogue_holds(french):
    """The admin's page writes the problems in the reader's language; the command keeps the
    English docs/partners-import.md documents."""
    french("line %(line)s: %(field)s: %(problem)s", "ligne %(line)s : %(field)s : %(problem)s")
    french("header", "en-tête", context="where a CSV file has a problem")
    french("missing column(s): %(columns)s", "colonnes manquantes : %(columns)s", plural=True)

    exit_code, stderr = run_failing_import(DATA / "partners_missing_columns.csv")

    assert exit_code == 2
    assert stderr.splitlines()[0] == (
        "line 1: header: missing column(s): hei_id, seats_per_year, language_requirement"
    )


def test_file_not_in_utf8_exits_with_status_2(tmp_path):
    latin1 = tmp_path / "latin1.csv"
    latin1.write_bytes(f"{HEADER}\nÉcole,FR,,,,,,,,,,,\n".encode("latin-1"))

    exit_code, stderr = run_failing_import(latin1)

    assert exit_code == 2
    assert stderr.splitlines()[0] == (
        "line 2: file: not valid UTF-8 (byte 0xc9): save the file as CSV UTF-8"
    )


def test_a_french_excel_csv_not_in_utf8_is_named_with_what_to_do(tmp_path):
    """Excel's "CSV (séparateur : point-virgule)" is Windows-1252, its lines may end with a
    carriage return alone: the problem was on "line 1", without saying what to do."""
    excel = tmp_path / "partenaires.csv"
    rows = [HEADER.replace(",", ";"), "Aalto University;FI;;;;;;;;;;;", "École;FR;;;;;;;;;;;"]
    excel.write_bytes("\r".join(rows).encode("cp1252"))

    exit_code, stderr = run_failing_import(excel)

    assert exit_code == 2
    assert stderr.splitlines() == [
        "line 3: file: not valid UTF-8 (byte 0xc9): save the file as CSV UTF-8",
        "Nothing imported: 1 problem.",
    ]


@pytest.mark.parametrize("content", [None, b"", b"\n\n"], ids=["missing", "empty", "blank"])
def test_unreadable_or_empty_file_exits_with_status_2(tmp_path, content):
    path = tmp_path / "partners.csv"
    if content is not None:
        path.write_bytes(content)

    exit_code, stderr = run_failing_import(path)

    assert exit_code == 2
    assert stderr.splitlines()[-1] == "Nothing imported: 1 problem."


def test_utf8_with_byte_order_mark_is_accepted(tmp_path):
    with_bom = tmp_path / "excel.csv"
    with_bom.write_bytes(SAMPLE.read_bytes().replace(b"name,", "\ufeffname,".encode(), 1))

    assert run_import(with_bom).startswith("6 partners created")


def test_a_nul_character_in_a_cell_exits_with_status_2_and_writes_nothing(tmp_path):
    """PostgreSQL refuses NUL in text: the import stopped there with a traceback."""
    path = tmp_path / "nul.csv"
    path.write_bytes(f"{HEADER}\n{GOOD_ROW}\nTU\x00Berlin,DE,,,,,,,,,,,\n".encode())

    exit_code, stderr = run_failing_import(path)

    assert exit_code == 2
    assert stderr.splitlines() == [
        "line 3: file: contains a NUL character (save the file as CSV UTF-8)",
        "Nothing imported: 1 problem.",
    ]
    assert not Partner.objects.exists()


def test_header_columns_without_a_name_are_named_by_their_position(tmp_path):
    """A spreadsheet leaves separators after the last column: the problems read "unknown
    column(s): " and "repeated column(s): " followed by nothing."""
    path = tmp_path / "trailing.csv"
    path.write_text(f"{HEADER},,\n{GOOD_ROW},,\n")

    exit_code, stderr = run_failing_import(path)

    assert exit_code == 2
    assert stderr.splitlines() == [
        "line 1: header: column 14 has no name (delete that column or name it)",
        "line 1: header: column 15 has no name (delete that column or name it)",
        "Nothing imported: 2 problems.",
    ]


def test_a_file_saved_by_a_french_spreadsheet_with_semicolons_is_read(tmp_path):
    """Excel in French saves "CSV UTF-8" with ";" between cells: the header was one unknown
    column, and every column missing."""
    rows = list(csv.reader(SAMPLE.read_text(encoding="utf-8").splitlines()))
    french = tmp_path / "partenaires.csv"
    with french.open("w", encoding="utf-8-sig", newline="") as file:
        csv.writer(file, delimiter=";").writerows(rows)

    assert run_import(french) == "6 partners created, 0 updated; 7 agreements created, 0 updated.\n"
    # The same content as the comma-separated file: importing that one changes nothing.
    assert run_import(SAMPLE) == "0 partners created, 0 updated; 0 agreements created, 0 updated.\n"


# --- the models' validation, as in the admin ---------------------------------------------


def nominated_under(student, agreement):
    """A nomination holding a seat of `agreement`; its academic year."""
    from apps.applications.models import ApplicationState
    from tests.applications.factories import draft_with_choice

    application = draft_with_choice(student)
    application.choices.update(agreement=agreement)
    application.state = ApplicationState.NOMINATED
    application.nominated_choice = application.choices.get()
    application.save()
    return application.call.academic_year


def kth_exchange():
    """KTH as GOOD_ROW describes it, its exchange agreement from 2024."""
    kth = PartnerFactory(
        name="KTH Royal Institute of Technology",
        country="SE",
        city="Stockholm",
        website="https://www.kth.se",
        hei_id="kth.se",
    )
    kth.languages.add(LanguageFactory(code="en"), LanguageFactory(code="sv"))
    kth.fields.add(StudyFieldFactory(slug="computer-science", name="Computer science"))
    return AgreementFactory(
        partner=kth,
        kind=AgreementKind.EXCHANGE,
        seats_per_year=3,
        first_year=2024,
        language_requirement="English B2",
    )


def kth_row(*, first_year: object = 2024, last_year: object = None, seats: int = 3) -> str:
    return GOOD_ROW.replace(
        "exchange,3,2024,,", f"exchange,{seats},{first_year},{last_year or ''},"
    )


def write_csv(tmp_path, *rows: str) -> Path:
    path = tmp_path / "partners.csv"
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("years", "problem"),
    [
        (
            lambda year: {"last_year": year - 1},
            "line 2: last_year: A student holds a seat under this agreement in {label}: "
            "it cannot end earlier.",
        ),
        (
            lambda year: {"first_year": year + 1},
            "line 2: first_year: A student holds a seat under this agreement in {label}: "
            "it cannot start later.",
        ),
    ],
    ids=["ended-before", "started-after"],
)
def test_the_years_of_an_agreement_keep_covering_the_seats_held(student, tmp_path, years, problem):
    """The admin refuses it: the seat would count nowhere. The import wrote it."""
    agreement = kth_exchange()
    year = nominated_under(student, agreement)
    before = database_snapshot()
    path = write_csv(
        tmp_path,
        kth_row(**years(year)),
        "Tsinghua University,CN,Beijing,,,zh,Computer science,,,,,,",
    )

    exit_code, stderr = run_failing_import(path)

    assert exit_code == 1
    assert stderr.splitlines() == [
        problem.format(label=f"{year}–{year + 1}"),
        "Nothing imported: 1 problem.",
    ]
    agreement.refresh_from_db()
    assert (agreement.first_year, agreement.last_year) == (2024, None)
    assert database_snapshot() == before  # the good row is not written either


def test_the_years_may_still_end_with_the_last_seat_held(student, tmp_path):
    agreement = kth_exchange()
    year = nominated_under(student, agreement)

    output = run_import(write_csv(tmp_path, kth_row(last_year=year, seats=1)))

    assert output == "0 partners created, 0 updated; 0 agreements created, 1 updated.\n"
    agreement.refresh_from_db()
    assert (agreement.last_year, agreement.seats_per_year) == (year, 1)


def test_every_refused_row_is_listed_in_file_order(student, other_student, tmp_path):
    """Rows are written partner by partner: the problems still come in the file's order."""
    kth = kth_exchange()
    kth_year = nominated_under(student, kth)
    aalto = AgreementFactory(
        partner=PartnerFactory(name="Aalto University", country="FI", city="Espoo", website=""),
        kind=AgreementKind.MASTER,
        first_year=2020,
    )
    aalto_year = nominated_under(other_student, aalto)
    path = write_csv(
        tmp_path,
        "Aalto University,FI,Espoo,,,,,exchange,2,2024,,,",
        kth_row(last_year=kth_year - 1),
        f"Aalto University,FI,,,,,,master,1,{aalto_year + 1},,,",
    )

    exit_code, stderr = run_failing_import(path)

    assert exit_code == 1
    assert [line.split(":")[:2] for line in stderr.splitlines()] == [
        ["line 3", " last_year"],
        ["line 4", " first_year"],
        ["Nothing imported", " 2 problems."],
    ]
    assert not Agreement.objects.filter(kind=AgreementKind.EXCHANGE, partner=aalto.partner)


def test_a_row_of_another_kind_adds_an_agreement_and_leaves_the_chosen_one(student, tmp_path):
    """An agreement is found by its partner and kind: the import cannot change the kind (or
    partner) of one that applications name, which the admin refuses too."""
    agreement = kth_exchange()
    nominated_under(student, agreement)

    output = run_import(write_csv(tmp_path, GOOD_ROW.replace(",exchange,", ",master,")))

    assert output == "0 partners created, 0 updated; 1 agreement created, 0 updated.\n"
    agreement.refresh_from_db()
    assert (agreement.kind, agreement.partner.name) == (
        AgreementKind.EXCHANGE,
        "KTH Royal Institute of Technology",
    )


def test_of_two_spellings_in_the_portal_the_file_updates_the_one_it_spells(tmp_path):
    """The first one, matched whatever its accents, took the other's spelling: the database
    refused the duplicate name and the command stopped with a traceback."""
    without = PartnerFactory(name="Universite de Lyon", country="FR", city="", website="")
    with_accents = PartnerFactory(name="Université de Lyon", country="FR", city="", website="")

    output = run_import(write_csv(tmp_path, "Université de Lyon,FR,Lyon,,,,,,,,,,"))

    assert output == "0 partners created, 1 updated; 0 agreements created, 0 updated.\n"
    with_accents.refresh_from_db()
    without.refresh_from_db()
    assert (with_accents.name, with_accents.city) == ("Université de Lyon", "Lyon")
    assert (without.name, without.city) == ("Universite de Lyon", "")


def test_a_partner_renamed_in_the_file_is_found_by_its_hei_id(student, tmp_path):
    """The spreadsheet now says "KTH Stockholm": the import created a second partner with the
    same EWP id and a second exchange agreement, the students' choices left on the first."""
    agreement = kth_exchange()
    nominated_under(student, agreement)
    renamed = write_csv(tmp_path, GOOD_ROW.replace("KTH Royal Institute of Technology", "KTH"))

    output = run_import(renamed)

    assert output == "0 partners created, 1 updated; 0 agreements created, 0 updated.\n"
    assert list(Partner.objects.filter(country="SE").values_list("name", "hei_id")) == [
        ("KTH", "kth.se")
    ]
    assert list(Agreement.objects.filter(partner__country="SE")) == [agreement]
    assert (
        run_import(renamed) == "0 partners created, 0 updated; 0 agreements created, 0 updated.\n"
    )


@pytest.mark.parametrize("hei_id", ["hochschule-straße.de", "école.fr"])
def test_a_renamed_partner_is_found_by_an_hei_id_with_letters_beyond_ascii(hei_id, tmp_path):
    """The file gives the stored id as it is: the partner is renamed. The ids read were put in
    capitals by the database (SQLite only capitalises ASCII, neither database makes "ß" "SS"),
    the file's by Python: the two never met, and a second partner was created."""
    partner = PartnerFactory(name="Alte Hochschule", country="DE", hei_id=hei_id)

    output = run_import(write_csv(tmp_path, f"Neue Hochschule,DE,,,{hei_id},,,,,,,,"))

    assert output == "0 partners created, 1 updated; 0 agreements created, 0 updated.\n"
    assert list(Partner.objects.values_list("pk", "name")) == [(partner.pk, "Neue Hochschule")]


def test_partners_sharing_a_hei_id_in_the_file_stay_two(tmp_path):
    """Two campuses with one EWP id: the one the file names is not renamed to the other."""
    milan = PartnerFactory(name="Politecnico di Milano", country="IT", hei_id="polimi.it")
    path = write_csv(
        tmp_path,
        "Politecnico di Milano - Polo di Como,IT,Como,,polimi.it,,,exchange,1,2024,,,",
        "Politecnico di Milano,IT,Milano,,polimi.it,,,exchange,2,2024,,,",
    )

    output = run_import(path)

    assert output == "1 partner created, 1 updated; 2 agreements created, 0 updated.\n"
    assert set(Partner.objects.values_list("name", "city")) == {
        ("Politecnico di Milano", "Milano"),
        ("Politecnico di Milano - Polo di Como", "Como"),
    }
    milan.refresh_from_db()
    assert milan.agreements.get().seats_per_year == 2


def test_a_hei_id_two_partners_of_the_portal_share_renames_neither(tmp_path):
    PartnerFactory(name="Politecnico di Milano", country="IT", hei_id="polimi.it")
    PartnerFactory(name="Polo di Como", country="IT", hei_id="polimi.it")

    output = run_import(write_csv(tmp_path, "PoliMi,IT,,,polimi.it,,,,,,,,"))

    assert output == "1 partner created, 0 updated; 0 agreements created, 0 updated.\n"
    assert Partner.objects.count() == 3


def test_years_far_in_the_past_do_not_escape_the_seats_held(student, tmp_path):
    """A first year of 1000 (a typo the file format accepts) skipped the check: the agreement
    ended in year 1001 under a nominated student. (0000 is now refused as no year at all.)"""
    agreement = kth_exchange()
    year = nominated_under(student, agreement)

    exit_code, stderr = run_failing_import(
        write_csv(tmp_path, kth_row(first_year="1000", last_year="1001"))
    )

    assert exit_code == 1
    assert stderr.splitlines()[0] == (
        f"line 2: last_year: A student holds a seat under this agreement in {year}–{year + 1}: "
        "it cannot end earlier."
    )
    agreement.refresh_from_db()
    assert (agreement.first_year, agreement.last_year) == (2024, None)


# --- reading and writing in bulk ---------------------------------------------------------


def partner_rows(
    prefix: str, partners: int, *, languages: str = "de;en", updated: bool = False
) -> list[str]:
    """Two agreements per partner; `updated`: every city, seat count and note changed."""
    rows = []
    for number in range(partners):
        for kind in ("exchange", "master"):
            city = f"City {number}{' bis' if updated else ''}"
            rows.append(
                f"{prefix} University {number},DE,{city},https://{prefix}{number}.example,"
                f"{prefix}{number}.example,{languages},Physics;{prefix} studies {number % 3},"
                f"{kind},"
                f"{2 + number % 4 + updated},2024,,English B2,{'Renewed' if updated else ''}"
            )
    return rows


def import_queries(path: Path) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        run_import(path)
    return len(queries)


# Queries of an import, whatever its number of rows: a first import, the same file again, an
# updated file (the seats applications hold of the agreements it changes read in three).
FIRST_IMPORT_QUERIES = 11
SAME_FILE_QUERIES = 8
UPDATED_FILE_QUERIES = 13


def test_an_import_makes_as_many_queries_for_a_hundred_rows_as_for_ten(tmp_path):
    """The import read and wrote partner by partner: 7,304 queries for 500 rows, 7 s on
    PostgreSQL (bench/import_partners.py)."""
    counts = {}
    for prefix, partners, languages in (("few", 5, "de;en"), ("many", 50, "fr;it")):
        first = tmp_path / f"{prefix}.csv"
        first.write_text("\n".join([HEADER, *partner_rows(prefix, partners, languages=languages)]))
        updated = tmp_path / f"{prefix}-updated.csv"
        updated.write_text(
            "\n".join([HEADER, *partner_rows(prefix, partners, languages=languages, updated=True)])
        )
        counts[partners] = [import_queries(first), import_queries(first), import_queries(updated)]

    assert (
        counts[5] == counts[50] == [FIRST_IMPORT_QUERIES, SAME_FILE_QUERIES, UPDATED_FILE_QUERIES]
    )
    assert Partner.objects.count() == 55
    assert Agreement.objects.filter(notes="Renewed").count() == 110
    assert set(
        Partner.objects.get(name="many University 7").fields.values_list("name", flat=True)
    ) == {
        "Physics",
        "many studies 1",
    }


def test_two_renamed_rows_with_one_hei_id_rename_the_partner_once(tmp_path):
    """Rows are matched in the file's order against what the rows before them left: the first
    renames the partner of that id, which the second then finds named in the file."""
    kth = PartnerFactory(name="KTH", country="SE", hei_id="kth.se")

    output = run_import(
        write_csv(
            tmp_path,
            "KTH Stockholm,SE,Stockholm,,kth.se,,,,,,,,",
            "KTH Royal Institute of Technology,SE,Stockholm,,KTH.SE,,,,,,,,",
        )
    )

    assert output == "1 partner created, 1 updated; 0 agreements created, 0 updated.\n"
    kth.refresh_from_db()
    assert kth.name == "KTH Stockholm"
    assert set(Partner.objects.values_list("name", flat=True)) == {
        "KTH Stockholm",
        "KTH Royal Institute of Technology",
    }


def test_languages_and_fields_are_replaced_in_one_go(tmp_path):
    partner = PartnerFactory(name="Aalto University", country="FI")
    partner.languages.add(LanguageFactory(code="fi", name="Finnish"), LanguageFactory(code="en"))
    partner.fields.add(StudyFieldFactory(slug="physics", name="Physics"))

    output = run_import(
        write_csv(
            tmp_path,
            f"Aalto University,FI,{partner.city},{partner.website},{partner.hei_id},en;sv,"
            "Physics;Data science,,,,,,",
        )
    )

    assert output == "0 partners created, 1 updated; 0 agreements created, 0 updated.\n"
    assert set(partner.languages.values_list("code", flat=True)) == {"en", "sv"}
    assert set(partner.fields.values_list("slug", flat=True)) == {"physics", "data-science"}


def _partner_validations():
    taken = PartnerFactory(name="Taken", country="DE")
    return [
        (Partner(name="Taken", country="DE"), True),
        (Partner(name="x" * 256, country="DE", website="not a url"), False),
        (Partner(name="New", country="ZZ", city="c" * 121), False),
        (taken, False),
    ]


def test_the_checks_without_queries_say_what_full_clean_says():
    """The import checks every partner and agreement as `full_clean()` does (the admin's
    validation), from what it read at once: the same messages, for the same fields."""
    from django.core.exceptions import ValidationError

    from apps.programmes.importing import _full_clean
    from apps.programmes.models import SeatsHeld

    def full_clean_messages(instance):
        try:
            instance.full_clean()
        except ValidationError as invalid:
            return invalid.message_dict
        return None

    for partner, duplicate in _partner_validations():
        checked = _full_clean(
            partner,
            clean=partner.clean,
            taken={"partner_unique_name_country": lambda _partner, duplicate=duplicate: duplicate},
        )
        assert (checked and checked.message_dict) == full_clean_messages(partner)

    stored = AgreementFactory(kind=AgreementKind.EXCHANGE, first_year=2024)
    for agreement, duplicate in [
        (
            Agreement(
                partner=stored.partner,
                kind=AgreementKind.EXCHANGE,
                seats_per_year=1,
                first_year=2024,
            ),
            True,
        ),
        (
            Agreement(
                partner=stored.partner,
                kind="erasmus",
                seats_per_year=-1,
                first_year=2025,
                last_year=2023,
            ),
            False,
        ),
        (
            Agreement(
                partner=stored.partner,
                kind=AgreementKind.MASTER,
                seats_per_year=1,
                first_year=2025,
                last_year=2023,
                language_requirement="x" * 201,
            ),
            False,
        ),
        (stored, False),
    ]:
        checked = _full_clean(
            agreement,
            skip_fields={"partner"},
            clean=lambda agreement=agreement: agreement.clean_against(SeatsHeld()),
            taken={"agreement_unique_kind": lambda _agreement, duplicate=duplicate: duplicate},
        )
        assert (checked and checked.message_dict) == full_clean_messages(agreement)


def test_a_year_of_zeros_is_refused_as_no_year(tmp_path):
    exit_code, stderr = run_failing_import(write_csv(tmp_path, kth_row(first_year="0000")))

    assert exit_code == 1
    assert stderr.splitlines()[0] == (
        "line 2: first_year: Write the year with its four digits: 2027 for 2027–2028."
    )
