import cProfile, pstats, time
from tests.applications.factories import login
from tests.factories import AgreementFactory, CallFactory
from tests.reviews.allocation.builders import detail_url, waiting, review_url


def test_timing(client, dri):
    call = CallFactory()
    agreements = AgreementFactory.create_batch(60, seats_per_year=3)
    for index in range(300):
        waiting(call, [agreements[index % 60], agreements[(index + 7) % 60], None if index % 5 == 0 else agreements[(index + 13) % 60]], score=str(index % 20))
    login(client, dri)
    client.get(detail_url(call))
    profiler = cProfile.Profile()
    profiler.enable()
    response = client.get(detail_url(call))
    profiler.disable()
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(45)
