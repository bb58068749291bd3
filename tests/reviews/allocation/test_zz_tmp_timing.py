import time
from tests.applications.factories import login
from tests.factories import AgreementFactory, CallFactory
from tests.reviews.allocation.builders import detail_url, waiting, review_url


def test_timing(client, dri):
    call = CallFactory()
    agreements = AgreementFactory.create_batch(60, seats_per_year=3)
    for index in range(500):
        waiting(call, [agreements[index % 60], agreements[(index + 7) % 60], None if index % 5 == 0 else agreements[(index + 13) % 60]], score=str(index % 20))
    login(client, dri)
    for _ in range(2):
        began = time.perf_counter()
        response = client.get(detail_url(call))
        print("detail", time.perf_counter() - began, len(response.content))
    post = {k: v for k, v in response.context["rows"][0].field.form.data.items()}
    began = time.perf_counter()
    response = client.post(review_url(call), post)
    print("review", time.perf_counter() - began, response.status_code)
