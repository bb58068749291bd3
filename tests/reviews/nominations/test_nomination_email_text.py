"""The plain text of a partner's list: a blank line between two students and before the
signature, never a run of empty lines (the last student's and an empty question line left
four of them before the signature)."""

import re

import pytest

from apps.notifications.models import Notification
from apps.notifications.rendering import render_message
from apps.reviews.services.nominations import nomination_notice_send
from tests.factories import CallFactory

from .builders import nominated, partner_with_address, seen_now

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("mailbox", ["", "dri@school.example"])
def test_one_blank_line_between_students_and_before_the_signature(dri, settings, mailbox):
    settings.DRI_MAILBOX = mailbox
    call = CallFactory(name="Exchanges")
    partner = partner_with_address(name="Universität Wien")
    nominated(call, partner, first_name="Léa", last_name="Martin")
    nominated(call, partner, first_name="Hugo", last_name="Petit")
    nomination_notice_send(actor=dri, call=call, partner=partner, seen=seen_now(call, partner))
    text = render_message(Notification.objects.get(event="nominations_to_partner")).text
    assert not re.search(r"\n\s*\n\s*\n", text), text
    blocks = text.strip().split("\n\n")
    students = [block for block in blocks if block.startswith("- ")]
    assert len(students) == 2
    assert all(len(block.splitlines()) == 5 for block in students)
    assert blocks[-1].startswith("-- \n")
    if mailbox:
        assert blocks[-2] == "For any question, write to dri@school.example."
    else:
        assert "For any question" not in text


def test_a_changed_list_reads_without_runs_of_empty_lines(dri):
    call = CallFactory(name="Exchanges")
    partner = partner_with_address(name="Universität Wien")
    nominated(call, partner, first_name="Léa", last_name="Martin")
    nomination_notice_send(actor=dri, call=call, partner=partner, seen=seen_now(call, partner))
    nominated(call, partner, first_name="Hugo", last_name="Petit")
    second = nomination_notice_send(
        actor=dri, call=call, partner=partner, seen=seen_now(call, partner)
    )
    row = Notification.objects.get(key__contains=f":{second.pk}:")
    text = render_message(row).text
    assert not re.search(r"\n\s*\n\s*\n", text), text
    assert "Nominated since:\n- Hugo Petit\n\nÉcole d'ingénieurs nominates 2 students" in text
