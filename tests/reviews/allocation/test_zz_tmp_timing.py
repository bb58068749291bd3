import time
from django.template.loader import get_template
from django.test import RequestFactory
from tests.factories import AgreementFactory, CallFactory
from tests.reviews.allocation.builders import waiting
from apps.reviews.services.allocation import allocation_proposal
from apps.reviews.views.allocation import allocation_board
from apps.reviews.forms_allocation import ScoresImportForm


def test_timing(dri):
    call = CallFactory()
    agreements = AgreementFactory.create_batch(100, seats_per_year=3)
    for index in range(1000):
        waiting(call, [agreements[index % 100], agreements[(index + 7) % 100], None if index % 5 == 0 else agreements[(index + 13) % 100]], score=str(index % 20))
    request = RequestFactory().get("/")
    request.user = dri
    proposal = allocation_proposal(call)
    board = allocation_board(proposal)
    template = get_template("reviews/allocation_detail.html")
    context = {"call": call, "board": board, "proposed_unplaced": [], "proposed_placed_count": 0, "scores_form": ScoresImportForm()}
    for _ in range(5):
        began = time.perf_counter()
        template.render(context, request)
        print(f"template {time.perf_counter()-began:.3f}")
