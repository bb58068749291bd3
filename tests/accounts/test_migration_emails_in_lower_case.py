"""Migration 0008 stores every account's e-mail in lower case, as logins look it up, unless
another account already holds the lower-case address."""

import pytest

from tests.migrations import back_to_latest, migrate_to  # noqa: F401 (a fixture)

BEFORE = ("accounts", "0007_student_search_folded")
AFTER = ("accounts", "0008_emails_in_lower_case")


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("back_to_latest")
def test_addresses_with_capitals_are_stored_in_lower_case():
    apps = migrate_to(BEFORE)
    User = apps.get_model("accounts", "User")
    for email in ("Jean.Dupont@School.example", "lea@school.example", "LEA@School.example"):
        User.objects.create(email=email)

    apps = migrate_to(AFTER)
    User = apps.get_model("accounts", "User")
    assert sorted(User.objects.values_list("email", flat=True)) == [
        "LEA@School.example",  # lea@school.example is another account: left for the admins
        "jean.dupont@school.example",
        "lea@school.example",
    ]
