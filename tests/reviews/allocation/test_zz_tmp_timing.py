import time
from django.template import engines
from tests.applications.factories import login
from tests.factories import AgreementFactory, CallFactory
from tests.reviews.allocation.builders import detail_url, waiting, review_url
from apps.reviews.services.allocation import allocation_proposal
from apps.reviews.views.allocation import allocation_board


def test_timing(client, dri):
    call = CallFactory()
    agreements = AgreementFactory.create_batch(100, seats_per_year=3)
    for index in range(1000):
        waiting(call, [agreements[index % 100], agreements[(index + 7) % 100], None if index % 5 == 0 else agreements[(index + 13) % 100]], score=str(index % 20))
    login(client, dri)
    for _ in range(3):
        began = time.perf_counter()
        proposal = allocation_proposal(call)
        t1 = time.perf_counter()
        board = allocation_board(proposal)
        t2 = time.perf_counter()
        response = client.get(detail_url(call))
        t3 = time.perf_counter()
        print(f"proposal {t1-began:.3f} board {t2-t1:.3f} full page {t3-t2:.3f}", len(response.content))
