"""An enquiry question asks rather than judges: the enquiry page points out judgement words."""

import pytest
from django.urls import reverse

from reviews.models import PeerReview
from reviews.selectors import judgement_words


@pytest.mark.parametrize(
    ("question", "found"),
    [
        ("To what extent does feedback in Year 5 help pupils catch up in writing?", []),
        ("Why is our writing not yet outstanding?", ["outstanding"]),
        ("Is teaching Good, or does it Require Improvement?", ["good"]),
        ("What would move us from requires improvement to good?", ["requires improvement", "good"]),
        ("How well do goodwill and weekly phonics work?", []),  # not words of judgement
        ("", []),
    ],
)
def test_judgement_words_are_found_as_whole_words(question, found):
    assert judgement_words(question) == found


@pytest.mark.django_db
def test_the_enquiry_page_points_them_out_to_the_host_only(client, review, headteacher, lead):
    PeerReview.objects.filter(pk=review.pk).update(
        enquiry_question="Why is our writing not yet outstanding?"
    )
    url = reverse("review_enquiry", args=[review.cycle.partnership.slug, review.pk])
    client.force_login(headteacher)
    assert "The question uses words of judgement (outstanding)" in client.get(url).content.decode()
    client.force_login(lead)
    assert "words of judgement" not in client.get(url).content.decode()
