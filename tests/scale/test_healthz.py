"""The health endpoint: a trivial answer, for anyone, without touching the database."""

from django.urls import reverse

HEALTHZ = reverse("reviews:healthz")


def test_answers_ok_to_anyone_without_a_query(client, db, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get(HEALTHZ)
    assert response.status_code == 200
    assert response.content == b"ok"
    assert response["Content-Type"] == "text/plain"


def test_only_reads(client):
    assert client.post(HEALTHZ).status_code == 405
