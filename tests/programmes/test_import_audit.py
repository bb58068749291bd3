"""The partners import (the command and the admin's Import from a CSV file page) wrote no
audit trail: each partner and agreement it creates or changes is now logged in the admin's
history (LogEntry) under the actor's name, as the admin's own saves are, in one insert."""

import io
from pathlib import Path

import pytest
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from apps.programmes.importing import COLUMNS
from apps.programmes.models import Agreement, Partner
from tests.programmes.test_import_partners import (
    FIRST_IMPORT_QUERIES,
    UPDATED_FILE_QUERIES,
    partner_rows,
)

pytestmark = pytest.mark.django_db

HEADER = ",".join(COLUMNS)
KTH = (
    "KTH Royal Institute of Technology,SE,Stockholm,https://www.kth.se,kth.se,en;sv,"
    "Computer science,exchange,3,2024,,English B2,"
)
KTH_CHANGED = (
    "KTH Royal Institute of Technology,SE,Solna,https://www.kth.se,kth.se,en,"
    "Computer science,exchange,4,2024,,English B2,"
)


def csv_file(tmp_path: Path, *rows: str, name: str = "partners.csv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


def run(path: Path, *options: str) -> tuple[str, str]:
    stdout, stderr = io.StringIO(), io.StringIO()
    call_command("import_partners", str(path), *options, stdout=stdout, stderr=stderr)
    return stdout.getvalue(), stderr.getvalue()


def logged() -> list[tuple]:
    with translation.override("en"):
        return [
            (
                entry.user.email,
                type(entry.get_edited_object()).__name__,
                entry.action_flag,
                entry.get_change_message(),
            )
            for entry in LogEntry.objects.select_related("user").order_by("pk")
        ]


def test_the_command_logs_what_it_creates_then_what_it_changes(tmp_path, dri):
    run(csv_file(tmp_path, KTH), "--actor", "DRI@example.org")
    assert logged() == [
        ("dri@example.org", "Partner", ADDITION, "Added."),
        ("dri@example.org", "Agreement", ADDITION, "Added."),
    ]
    kth = Partner.objects.get()
    entry = LogEntry.objects.filter(content_type__model="partner", object_id=str(kth.pk)).get()
    assert entry.object_repr == kth.name

    run(csv_file(tmp_path, KTH), "--actor", "dri@example.org")  # the same file: nothing new
    assert len(logged()) == 2

    run(csv_file(tmp_path, KTH_CHANGED), "--actor", "dri@example.org")
    assert logged()[2:] == [
        ("dri@example.org", "Partner", CHANGE, "Changed City and Languages of instruction."),
        ("dri@example.org", "Agreement", CHANGE, "Changed Seats per year."),
    ]


def test_without_an_actor_the_command_imports_and_says_nothing_is_logged(tmp_path):
    stdout, stderr = run(csv_file(tmp_path, KTH))
    assert stdout.startswith("1 partner created")
    assert stderr == "No --actor given: this import is not logged in the admin's history.\n"
    assert Partner.objects.count() == 1
    assert not LogEntry.objects.exists()


@pytest.mark.parametrize("email", ["nobody@example.org", "student", "dfi@example.org"])
def test_an_actor_who_does_not_manage_the_catalogue_is_refused_before_anything(
    tmp_path, student, dfi, email
):
    if email == "student":
        email = student.email
    with pytest.raises(CommandError, match="--actor: no active account that manages"):
        run(csv_file(tmp_path, KTH), "--actor", email)
    assert not Partner.objects.exists()
    assert not LogEntry.objects.exists()


def test_a_closed_account_is_refused_as_actor(tmp_path, dri):
    dri.is_active = False
    dri.save(update_fields=["is_active"])
    with pytest.raises(CommandError):
        run(csv_file(tmp_path, KTH), "--actor", dri.email)
    assert not Partner.objects.exists()


def test_the_admin_import_logs_under_the_dri_s_name_once_confirmed(client, dri):
    client.force_login(dri)
    page = reverse("admin:programmes_partner_import")
    text = "\n".join([HEADER, KTH]) + "\n"
    preview = client.post(page, {"file": SimpleUploadedFile("p.csv", text.encode(), "text/csv")})
    assert preview.status_code == 200
    assert not LogEntry.objects.exists()  # the preview writes nothing
    client.post(
        page, {name: preview.context["confirm"][name].value() for name in ("text", "digest")}
    )
    assert logged() == [
        ("dri@example.org", "Partner", ADDITION, "Added."),
        ("dri@example.org", "Agreement", ADDITION, "Added."),
    ]
    kth = Partner.objects.get()
    history = client.get(reverse("admin:programmes_partner_history", args=[kth.pk]))
    assert [entry.user for entry in history.context["action_list"]] == [dri]
    agreement = Agreement.objects.get()
    history = client.get(reverse("admin:programmes_agreement_history", args=[agreement.pk]))
    assert history.context["action_list"][0].user == dri


def test_logging_keeps_the_import_s_queries_flat(tmp_path, dri):
    """As many queries for 40 partners as for 5: the log entries are one insert (of as many
    rows as a statement takes: SQLite's 999 parameters make 142 entries a statement)."""
    ContentType.objects.get_for_models(Partner, Agreement)  # cached for the process, as in use
    counts = {}
    for prefix, partners, languages in (("few", 5, "de;en"), ("many", 40, "fr;it")):
        rows = partner_rows(prefix, partners, languages=languages)
        changed = partner_rows(prefix, partners, languages=languages, updated=True)
        first = csv_file(tmp_path, *rows, name=f"{prefix}.csv")
        updated = csv_file(tmp_path, *changed, name=f"{prefix}-2.csv")
        counts[partners] = []
        for path in (first, updated):
            with CaptureQueriesContext(connection) as queries:
                run(path, "--actor", dri.email)
            counts[partners].append(len(queries))
    # The import's own queries, the actor's account read, and the entries' one insert.
    assert counts[5] == counts[40] == [FIRST_IMPORT_QUERIES + 2, UPDATED_FILE_QUERIES + 2]
    # Each partner and agreement created, then each changed: one entry each time.
    assert LogEntry.objects.filter(action_flag=ADDITION).count() == 45 * 3
    assert LogEntry.objects.filter(action_flag=CHANGE).count() == 45 * 3
