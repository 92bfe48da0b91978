"""Relations on the review page in Chromium (issue 14): each annotator's arcs in their lane, the one nobody else
drew marked in words, accept and reject with a comment, and a copy to gold that brings its spans along."""

import pytest
from django.contrib.auth import get_user_model

from annotator.models import GoldRelation, GoldSpan, Relation
from tests.arrange import draw, draw_gold, make_relation_type, relate, relate_gold, submit
from tests.e2e.test_review import (
    TEXT,
    lane,
    open_review,
    review,  # noqa: F401 (the fixture `related` builds on)
)


@pytest.fixture
def related(review):  # noqa: F811
    """anna and ben both relate Peskov to "talks would resume" with "Says"; anna also relates "told reporters" to
    it, which ben did not."""
    project, document, reviewer, spans = review
    owner = get_user_model().objects.get(username="owner")
    anna, ben = spans["agreed-anna"].annotator, spans["agreed-ben"].annotator
    says = make_relation_type(owner, project, "Says")
    relations = {}
    for user in (anna, ben):
        peskov = draw(user, document, "Source attribution", "Peskov") if user == anna else spans["only-ben"]
        claim = spans["only-anna"] if user == anna else draw(user, document, "Source attribution", "talks would resume")
        relations[f"shared-{user.username}"] = relate(user, says, peskov, claim)
    relations["alone"] = relate(anna, says, spans["agreed-anna"], spans["only-anna"])
    for user in (anna, ben):
        submit(user, document)
    return project, document, reviewer, relations


def open_with_arcs(page, project, document, reviewer):
    open_review(page, project, document, reviewer)
    page.wait_for_selector("[data-annotator='gold'] [data-testid='relation-arcs'][data-ready='true']")


def arc(page, name, relation_id):
    return lane(page, name).locator(f"[data-testid='relation-arcs'] [data-relation-id='{relation_id}']")


def status_starts(page, words):
    page.wait_for_function("(words) => document.getElementById('status').textContent.startsWith(words)", arg=words)


class TestRelationsOnTheReviewPage:
    def test_each_lane_draws_its_annotators_arcs_and_marks_the_one_nobody_else_drew(self, page, related):
        project, document, reviewer, relations = related
        open_with_arcs(page, project, document, reviewer)

        ids = {
            name: sorted(int(x) for x in lane(page, name).locator("svg [data-relation-id]").evaluate_all(
                "(arcs) => arcs.map((arc) => arc.dataset.relationId)"))
            for name in ("anna", "ben", "gold")
        }  # fmt: skip
        alone, shared = arc(page, "anna", relations["alone"].pk), arc(page, "anna", relations["shared-anna"].pk)

        assert ids == {
            "anna": sorted([relations["shared-anna"].pk, relations["alone"].pk]),
            "ben": [relations["shared-ben"].pk],
            "gold": [],
        }
        assert alone.get_attribute("data-agree") == "none"
        assert alone.locator(".arc-label").first.text_content() == "Says • no match"
        assert shared.get_attribute("data-agree") == "all"
        assert shared.locator(".arc-label").first.text_content() == "Says •"
        assert lane(page, "anna").locator(".lane-text").text_content() == TEXT
        markers = page.locator("svg marker").evaluate_all("(markers) => markers.map((marker) => marker.id)")
        assert len(markers) == 3 and len(set(markers)) == 3  # an arrowhead per lane, each its own id
        assert page.get_by_test_id("relation-review-progress").text_content() == "0 of 3 relations reviewed"

    def test_a_relation_is_accepted_with_a_comment_and_another_rejected(self, page, related):
        project, document, reviewer, relations = related
        open_with_arcs(page, project, document, reviewer)

        # A span's card comes with the cards of its relations.
        lane(page, "anna").locator(".lane-text mark", has_text="told reporters").first.click()
        card = page.locator(f"[data-panel-relation-id='{relations['alone'].pk}']")
        assert card.locator(".span-text").text_content() == "“told reporters” —Says→ “talks would resume”"
        assert card.locator(".match").text_content() == "No other annotator drew this relation exactly."
        card.locator("textarea").fill("Reporters are the audience here, not the source.")
        card.get_by_role("button", name="Accept").click()
        status_starts(page, "Accepted")
        # An arc opens its own card.
        arc(page, "ben", relations["shared-ben"].pk).locator(".arc-label").first.click()
        page.locator(f"[data-panel-relation-id='{relations['shared-ben'].pk}']").get_by_role(
            "button", name="Reject"
        ).click()
        status_starts(page, "Rejected")

        accepted, rejected = (Relation.objects.get(pk=relations[name].pk) for name in ("alone", "shared-ben"))
        assert (accepted.review_status, accepted.review_comment, accepted.version) == (
            "accepted", "Reporters are the audience here, not the source.", 2,
        )  # fmt: skip
        assert (rejected.review_status, rejected.version) == ("rejected", 2)
        assert arc(page, "anna", accepted.pk).get_attribute("data-state") == "accepted"
        assert arc(page, "ben", rejected.pk).locator(".arc-label").first.text_content() == "Says ✗"
        assert page.get_by_test_id("relation-review-progress").text_content() == "2 of 3 relations reviewed"

    def test_a_copy_to_gold_brings_the_relations_spans_and_shows_them_in_the_gold_lane(self, page, related):
        project, document, reviewer, relations = related
        open_with_arcs(page, project, document, reviewer)
        source = relations["shared-ben"]

        arc(page, "ben", source.pk).locator(".arc-label").first.click()
        page.locator(f"[data-panel-relation-id='{source.pk}']").get_by_role("button", name="Copy to gold").click()
        status_starts(page, "Copied")

        gold = GoldRelation.objects.get(document=document)
        ends = GoldSpan.objects.filter(pk__in=[gold.from_span_id, gold.to_span_id])
        assert (gold.source_relation_id, gold.type_id) == (source.pk, source.type_id)
        assert sorted((span.start, span.end, span.source_span_id) for span in ends) == sorted(
            (span.start, span.end, span.pk) for span in (source.from_span, source.to_span)
        )
        gold_lane = lane(page, "gold")
        assert arc(page, "gold", gold.pk).count() == 1
        for span in ends:
            assert gold_lane.locator(f".lane-text [data-span-id='{span.pk}']").first.text_content() == TEXT[
                span.start : span.end
            ]

    def test_deleting_a_gold_span_takes_its_gold_relation_off_the_gold_lane(self, page, related):
        project, document, reviewer, relations = related
        says = relations["alone"].type
        peskov, talks = (draw_gold(reviewer, document, "Source attribution", words) for words in ("Peskov", "talks"))
        gold = relate_gold(reviewer, says, peskov, talks)
        open_with_arcs(page, project, document, reviewer)
        assert arc(page, "gold", gold.pk).count() == 1

        lane(page, "gold").locator(f"[data-span-id='{talks.pk}']").first.click()
        page.locator(f"[data-panel-gold-id='{talks.pk}']").get_by_role("button", name="Delete").click()
        status_starts(page, "Removed")

        assert not GoldRelation.objects.filter(pk=gold.pk).exists()
        assert arc(page, "gold", gold.pk).count() == 0
        assert lane(page, "gold").locator("svg [data-relation-id]").count() == 0
        lane(page, "gold").locator(f"[data-span-id='{peskov.pk}']").first.click()  # its other end: no relation left
        assert page.locator(f"[data-panel-gold-id='{peskov.pk}']").count() == 1
        assert page.locator("[data-panel-relation-id]").count() == 0
