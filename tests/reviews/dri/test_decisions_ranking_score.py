"""Setting (or clearing) an application's ranking score for seat allocation."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from apps.applications.errors import ServiceError
from apps.applications.models import Application
from apps.reviews.services.decisions import application_set_ranking_score
from tests.applications.factories import login, messages_of
from tests.reviews.dri.builders import decision_url, dossier_url, post_as, seen, submitted


def score_of(application):
    return Application.objects.values_list("ranking_score", flat=True).get(pk=application.pk)


def test_service_sets_the_score(dri, student):
    application = submitted(student)
    application_set_ranking_score(actor=dri, application=application, score=Decimal("15.250"))
    assert score_of(application) == Decimal("15.250")


@pytest.mark.parametrize("persona", ["dfi", "advisor", "student"])
def test_service_refuses_anyone_but_the_dri(request, persona, student):
    application = submitted(student)
    with pytest.raises(ServiceError):
        application_set_ranking_score(
            actor=request.getfixturevalue(persona), application=application, score=Decimal(1)
        )
    assert score_of(application) is None


def test_dri_sets_and_clears_it_from_the_dossier_page(client, dri, student):
    application = submitted(student)
    url = decision_url("score", application)
    response = post_as(client, dri, url, seen(application, "score", score="12.5"))
    assert response.url == dossier_url(application)
    assert score_of(application) == Decimal("12.500")
    assert messages_of(response) == ["The ranking score is saved."]
    client.post(url, seen(application, "score", score=""))
    assert score_of(application) is None


def test_the_form_shows_the_current_score(client, dri, student):
    application = submitted(student)
    application_set_ranking_score(actor=dri, application=application, score=Decimal("9.5"))
    post_as(client, dri, decision_url("score", application), seen(application, "score", score="x"))
    response = client.get(dossier_url(application))
    assert response.context["decisions"]["score"]["score"].value() == Decimal("9.500")


@pytest.mark.parametrize("score", ["abc", "12345.5", "1.2345"])
def test_a_bad_score_is_a_form_error(client, dri, student, score):
    application = submitted(student)
    url = decision_url("score", application)
    response = post_as(client, dri, url, seen(application, "score", score=score))
    assert response.status_code == 400
    assert response.context["decisions"]["score"].errors["score"]
    assert score_of(application) is None


@pytest.mark.parametrize("persona", ["dfi", "advisor", "student"])
def test_others_get_403(client, request, persona, student):
    application = submitted(student)
    url = decision_url("score", application)
    response = post_as(
        client, request.getfixturevalue(persona), url, seen(application, "score", score="3")
    )
    assert response.status_code == 403
    assert score_of(application) is None


def test_anonymous_is_sent_to_login(client, student):
    application = submitted(student)
    url = decision_url("score", application)
    response = post_as(client, None, url, seen(application, "score", score="3"))
    assert response.url.startswith(reverse("login"))
    assert score_of(application) is None


def test_every_change_of_score_is_kept_with_who_and_when(dri, student, english):
    """The score decides who gets a seat: its changes are in the dossier's internal comments."""
    application = submitted(student)
    application_set_ranking_score(actor=dri, application=application, score=Decimal("15.5"))
    application_set_ranking_score(actor=dri, application=application, score=Decimal("15.500"))
    application_set_ranking_score(actor=dri, application=application, score=None)
    application_set_ranking_score(
        actor=dri, application=application, score=Decimal("12"), imported=True
    )
    comments = list(application.internal_comments.order_by("created_at", "id"))
    assert [(comment.author, comment.text) for comment in comments] == [
        (dri, "Ranking score changed: none → 15.5."),
        (dri, "Ranking score changed: 15.500 → none."),
        (dri, "Ranking score imported: none → 12."),
    ]


@pytest.mark.parametrize(
    ("score", "shown"), [("14.5", "14,5"), ("145", "145"), ("0.125", "0,125"), ("100", "100")]
)
def test_a_score_is_shown_as_typed_not_with_the_stored_decimals(client, dri, student, score, shown):
    """Stored with three decimals, 14.5 was shown "14,500" on the French pages (and 145
    "145,000"): the dossier, the queue and the allocation page show it as typed."""
    application = submitted(student)
    application_set_ranking_score(actor=dri, application=application, score=Decimal(score))
    client.force_login(dri)
    french = {"HTTP_ACCEPT_LANGUAGE": "fr"}
    pages = [
        reverse("reviews:dossier", args=[application.pk]),
        reverse("reviews:queue"),
        reverse("reviews:allocation_detail", args=[application.call_id]),
    ]
    for page in pages:
        content = client.get(page, **french).content.decode()
        assert re.search(rf">\s*{re.escape(shown)}\s*<", content), page
        stored = f"{Decimal(score):.3f}".replace(".", ",")
        assert stored == shown or stored not in content, page


OUT_OF_RANGE = "Enter a score from -9,999.999 to 9,999.999, with at most 3 decimals."


@pytest.mark.parametrize("score", ["99999999999", "10000", "-10000", "1.2345", "abc", "NaN"])
def test_a_score_the_column_cannot_hold_says_the_range(client, dri, student, score):
    """One message with the limits of the model's column, where Django's counted digits."""
    application = submitted(student)
    url = decision_url("score", application)
    response = post_as(client, dri, url, seen(application, "score", score=score))
    assert response.status_code == 400
    assert response.context["decisions"]["score"].errors["score"] == [OUT_OF_RANGE]
    assert OUT_OF_RANGE in response.content.decode()
    assert score_of(application) is None


@pytest.mark.parametrize("score", ["9999.999", "-9999.999", "0.001"])
def test_the_limits_themselves_are_saved(client, dri, student, score):
    application = submitted(student)
    url = decision_url("score", application)
    response = post_as(client, dri, url, seen(application, "score", score=score))
    assert response.status_code == 302
    assert score_of(application) == Decimal(score)


def test_the_input_tells_the_browser_the_range_and_step(client, dri, student):
    application = submitted(student)
    html = login(client, dri).get(dossier_url(application)).content.decode()
    field = re.search(r'<input[^>]*name="score-score"[^>]*>', html).group(0)
    assert 'type="number"' in field
    assert 'min="-9999.999"' in field
    assert 'max="9999.999"' in field
    assert 'step="0.001"' in field
