"""The migration that fills ``<field>_source`` for text saved before Cairn kept what was typed.

Its conversion from HTML is its own copy, frozen in the migration: these tests hold it to
rendering back to the same HTML, so someone editing old text sees what they would have typed.
"""

import importlib

import pytest
from django.apps import apps

from core.richtext import render
from reviews.models import PublishedVersion
from reviews.services import publication
from tests.reviews.publication_world import module_world, publishable

__all__ = ["module_world"]

migration = importlib.import_module("reviews.migrations.0006_fill_rich_text_source")

TYPED = [
    "The school has made good progress since the last review.",
    "Leaders know the school well.\n\nThe curriculum is ambitious and well sequenced.",
    "Strengths we saw:\n\n- phonics teaching in Reception\n- behaviour at lunchtime\n- attendance",
    "We saw:\n- reading\n- writing",
    "Next steps:\n\n1. Share the reading plan with governors\n2. Visit Millbrook in spring",
    "- **Reading:** strong and consistent\n- *Writing:* improving, but uneven in Year 4",
    "Read [the DfE guidance](https://www.gov.uk/guidance/x?year=2025&term=spring&a=b).",
    "Contact [the lead](mailto:lead@school.example?subject=Review%20visit) with questions.",
    "Visit on Tuesday\nFeedback on Friday",
    "We spoke to:\n\n- the SENCo\n- two subject leads\n\nThey agreed on the priorities.",
    "Pupils said they felt safe & happy. Maths rose 5% (from 68% to 73%).",
    "\\- not a list, just a line that starts with a dash\n1\\. nor this",
    "Stars as text: 5 \\* 3 = 15, and [brackets] and a back\\\\slash",
    'Quote: <b>not bold</b> & "not escaped" <script>alert(1)</script>',
    "- a list item\n    - with a nested item\n- and another",
    "- first point\n\n- second point, with space around it",
    "The school's file_name_here and snake_case stay as they are, _but not this_.",
    "***Very important***, **bold**_italic_ and ![not an image](https://example.org/a.png)",
    "- an item\ncontinued on the next line\n- another",
    "1. numbers\n- then bullets",
]


@pytest.mark.parametrize("text", TYPED)
def test_the_source_worked_out_from_stored_html_renders_the_same(text):
    html = render(text)
    assert render(migration.markdown_from_html(html)) == html


def test_html_from_elsewhere_keeps_its_words():
    html = "<h2>Summary</h2><p>Good <b>work</b></p>text<ul><li>one</li></ul>"
    assert migration.markdown_from_html(html) == "Summary\n\nGood work\n\ntext\n\n- one"
    assert migration.markdown_from_html("") == ""


@pytest.mark.django_db
def test_existing_rich_text_gets_its_source_and_published_versions_are_left_alone(module_world):
    review = publishable(module_world)
    published = publication.partnership_review_publish(actor=module_world.lead, review=review)
    frozen = PublishedVersion.objects.values().get(pk=published.pk)
    # As the tables were before the migration: HTML only.
    for model_name, fields in migration.RICH_TEXT.items():
        model = apps.get_model("reviews", model_name)
        assert model.objects.exists(), model_name
        model.objects.update(**{f"{name}_source": "" for name in fields})

    migration.fill_sources(apps, schema_editor=None)

    for model_name, fields in migration.RICH_TEXT.items():
        for row in apps.get_model("reviews", model_name).objects.all():
            for name in fields:
                html, source = getattr(row, name), getattr(row, f"{name}_source")
                assert render(source) == html, (model_name, name)
                assert bool(source) == bool(html), (model_name, name)
    assert PublishedVersion.objects.values().get(pk=published.pk) == frozen


@pytest.mark.django_db
def test_a_source_already_there_is_kept(module_world):
    review = publishable(module_world)
    typed = "This year we _worked_ on writing."
    publication.partnership_review_save(
        actor=module_world.lead, review=review, purpose="", values="", introduction=typed,
        next_steps="",
    )  # fmt: skip
    migration.fill_sources(apps, schema_editor=None)
    review.refresh_from_db()
    assert review.introduction_source == typed  # not "*worked*", as worked out from the HTML
