"""Migration 0008 stores every account's e-mail in lower case, as logins look it up, unless
another account already holds the lower-case address."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = ("accounts", "0007_student_search_folded")
AFTER = ("accounts", "0008_emails_in_lower_case")


def migrate_accounts(target):
    executor = MigrationExecutor(connection)
    leaves = executor.loader.graph.leaf_nodes()
    targets = [leaf for leaf in leaves if leaf[0] != "accounts"] + ([target] if target else [])
    if target is None:
        targets = leaves
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


@pytest.fixture
def back_to_latest():
    yield
    migrate_accounts(None)


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("back_to_latest")
def test_addresses_with_capitals_are_stored_in_lower_case():
    apps = migrate_accounts(BEFORE)
    User = apps.get_model("accounts", "User")
    for email in ("Jean.Dupont@School.example", "lea@school.example", "LEA@School.example"):
        User.objects.create(email=email)

    apps = migrate_accounts(AFTER)
    User = apps.get_model("accounts", "User")
    assert sorted(User.objects.values_list("email", flat=True)) == [
        "LEA@School.example",  # lea@school.example is another account: left for the admins
        "jean.dupont@school.example",
        "lea@school.example",
    ]
