"""A change committed while the confirmation waits for its locks (PostgreSQL row locks): what
the page showed is compared once the applications are locked, so the change is seen."""

# ruff: noqa: F811  (the fixture `hosts` is imported from test_allocation_confirm_writes)

import os
import threading
import time

import pytest
from django.db import connection, transaction

from apps.applications.errors import ServiceError
from apps.applications.models import Application, Transition
from apps.reviews.services.allocation import allocation_confirm
from apps.reviews.services.decisions import (
    application_reinstate,
    application_withdraw_for_student,
)
from tests.reviews.allocation.builders import S, versions
from tests.reviews.allocation.test_allocation_confirm_writes import (  # noqa: F401 (a fixture)
    hosts,
    new_student,
    staying_at_munich,
)

pytestmark = [
    pytest.mark.skipif(
        os.environ.get("REQUIRE_SERVICES") != "1"
        and not os.environ.get("DATABASE_URL", "").startswith(("postgres", "pgsql")),
        reason="row locks need PostgreSQL (set DATABASE_URL; CI always does)",
    ),
    pytest.mark.django_db(transaction=True),
]


def test_a_withdrawal_undone_while_the_confirmation_waits_for_its_locks_refuses_it(
    hosts, dri, advisor
):
    """The office withdraws Ana and undoes it in one transaction, holding her row: the
    confirmation, sent from a page shown before, reads the applications, then waits for that
    row; the moves are committed while it waits. Back in the state the page showed, she is not
    the application the page showed."""
    ana, ana_choice = staying_at_munich(hosts, new_student("ana", advisor))
    decisions = {ana.pk: ana_choice.pk}
    seen = versions(decisions)
    holding, waiting_for_it = threading.Event(), threading.Event()

    def undo_a_withdrawal():
        try:
            with transaction.atomic():
                Application.objects.select_for_update().get(pk=ana.pk)
                holding.set()
                application_withdraw_for_student(actor=dri, application=ana, reason="By e-mail.")
                application_reinstate(
                    actor=dri,
                    application=Application.objects.get(pk=ana.pk),
                    reason="Sent by mistake.",
                )
                waiting_for_it.wait(timeout=10)
                time.sleep(0.5)  # the confirmation reaches the row's lock meanwhile
        finally:
            connection.close()

    office = threading.Thread(target=undo_a_withdrawal)
    office.start()
    assert holding.wait(timeout=10)
    waiting_for_it.set()
    with pytest.raises(ServiceError) as refused:
        allocation_confirm(actor=dri, call=hosts["call"], decisions=decisions, seen=seen)
    office.join(timeout=30)

    assert refused.value.reasons == [
        "Nobody was nominated.",
        f"This application changed since the page was shown: {ana.student}. "
        "Review the new proposal.",
    ]
    assert Application.objects.get(pk=ana.pk).state == S.SUBMITTED
    assert not Transition.objects.filter(to_state=S.NOMINATED).exists()
