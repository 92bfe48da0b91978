"""The review page in Chromium: lanes side by side, disagreement marked, accept / reject, copy to gold, bulk accept,
gold drawn directly, and the keyboard."""

import pytest

from annotator.access import access_project
from annotator.models import GoldSpan, Role, Span
from annotator.services.documents import document_create_many
from annotator.services.members import member_add
from annotator.services.projects import project_create
from annotator.services.reviews import span_review
from tests.arrange import draw, submit
from tests.e2e.conftest import open_as
from tests.factories import UserFactory

TEXT = "Crowds 👨‍👩‍👧 and 🇺🇦 flags, café\u0301 owners too.\nThen Peskov told reporters that talks would resume."


@pytest.fixture
def review(transactional_db):
    """Two annotators who agree on "told reporters" and each drew one span the other did not; both submitted."""
    owner, reviewer = UserFactory(username="owner"), UserFactory(username="reviewer")
    first, second = UserFactory(username="anna"), UserFactory(username="ben")
    project = project_create(user=owner, name="Ceasefire coverage", label_preset="framing")
    actor = access_project(owner, project.pk)
    member_add(actor=actor, username="reviewer", role=Role.REVIEWER)
    for user in (first, second):
        member_add(actor=actor, username=user.username, role=Role.ANNOTATOR)
    [document] = document_create_many(member=actor, items=[{"text": TEXT, "title": "Talks"}])
    spans = {
        name: draw(user, document, "Source attribution", phrase)
        for user, phrase, name in [
            (first, "told reporters", "agreed-anna"),
            (second, "told reporters", "agreed-ben"),
            (first, "talks would resume", "only-anna"),
            (second, "Peskov", "only-ben"),
        ]
    }
    for user in (first, second):
        submit(user, document)
    return project, document, reviewer, spans


def open_review(page, project, document, user):
    path = f"/projects/{project.pk}/documents/{document.pk}/review/"
    open_as(page, user, path, "[data-testid='lanes'][data-ready='true']")


def lane(page, name):
    return page.locator(f"[data-testid='lane'][data-annotator='{name}']")


class TestReviewPage:
    def test_lanes_show_each_annotators_spans_and_mark_where_they_disagree(self, page, review):
        project, document, reviewer, spans = review
        open_review(page, project, document, reviewer)

        anna = lane(page, "anna")
        assert anna.locator(".lane-text").text_content() == TEXT
        assert anna.locator(f"[data-span-id='{spans['only-anna'].pk}']").first.get_attribute("data-agree") == "none"
        assert anna.locator(f"[data-span-id='{spans['agreed-anna'].pk}']").first.get_attribute("data-agree") == "all"
        assert lane(page, "ben").locator(f"[data-span-id='{spans['only-anna'].pk}']").count() == 0
        assert lane(page, "gold").locator("[data-span-id]").count() == 0

    def test_a_span_is_rejected_with_a_comment_and_another_accepted(self, page, review):
        project, document, reviewer, spans = review
        open_review(page, project, document, reviewer)

        lane(page, "anna").locator(f"[data-span-id='{spans['only-anna'].pk}']").first.click()
        card = page.locator(f"[data-panel-span-id='{spans['only-anna'].pk}']")
        card.locator("textarea").fill("This is a prediction, not an attribution.")
        card.get_by_role("button", name="Reject").click()
        page.wait_for_function("() => document.getElementById('status').textContent.startsWith('Rejected')")
        lane(page, "ben").locator(f"[data-span-id='{spans['only-ben'].pk}']").first.click()
        page.locator(f"[data-panel-span-id='{spans['only-ben'].pk}']").get_by_role("button", name="Accept").click()
        page.wait_for_function("() => document.getElementById('status').textContent.startsWith('Accepted')")

        rejected, accepted = Span.objects.get(pk=spans["only-anna"].pk), Span.objects.get(pk=spans["only-ben"].pk)
        assert (rejected.review_status, rejected.review_comment, rejected.version) == (
            "rejected", "This is a prediction, not an attribution.", 2,
        )  # fmt: skip
        assert accepted.review_status == "accepted"
        assert lane(page, "anna").locator(f"[data-span-id='{rejected.pk}']").first.get_attribute("data-review") == (
            "rejected"
        )

    def test_copy_to_gold_adds_the_span_to_the_gold_lane(self, page, review):
        project, document, reviewer, spans = review
        open_review(page, project, document, reviewer)

        lane(page, "ben").locator(f"[data-span-id='{spans['only-ben'].pk}']").first.click()
        page.get_by_role("button", name="Copy to gold").click()
        page.wait_for_function("() => document.getElementById('status').textContent.startsWith('Copied')")

        gold = GoldSpan.objects.get(document=document)
        assert (gold.start, gold.end, gold.source_span_id) == (spans["only-ben"].start, spans["only-ben"].end,
                                                               spans["only-ben"].pk)  # fmt: skip
        assert lane(page, "gold").locator(f"[data-span-id='{gold.pk}']").count() == 1

    def test_accepting_every_agreed_span_leaves_the_disputed_ones_pending(self, page, review):
        project, document, reviewer, spans = review
        open_review(page, project, document, reviewer)

        page.get_by_test_id("accept-agreed").click()
        page.wait_for_function("() => document.getElementById('status').textContent.startsWith('Accepted 2 of 2')")

        statuses = dict(Span.objects.filter(document=document).values_list("pk", "review_status"))
        assert statuses == {
            spans["agreed-anna"].pk: "accepted",
            spans["agreed-ben"].pk: "accepted",
            spans["only-anna"].pk: "pending",
            spans["only-ben"].pk: "pending",
        }

    def test_a_gold_span_is_drawn_by_selecting_in_the_gold_lane_and_pressing_a_key(self, page, review):
        project, document, reviewer, _ = review
        open_review(page, project, document, reviewer)
        start = TEXT.index("talks would")

        select_in(page, "gold", start, start + len("talks would"))
        page.keyboard.press("p")  # Speculation
        page.wait_for_function("() => document.getElementById('status').textContent.startsWith('Added')")

        gold = GoldSpan.objects.get(document=document)
        assert (gold.start, gold.end, gold.label.name) == (start, start + len("talks would"), "Speculation")
        assert TEXT[gold.start : gold.end] == "talks would"

    def test_the_keyboard_walks_the_spans_and_accepts_one(self, page, review):
        project, document, reviewer, spans = review
        open_review(page, project, document, reviewer)

        page.keyboard.press("j")  # the first span in text order: ben's "Peskov"
        page.keyboard.press("Shift+A")
        page.wait_for_function("() => document.getElementById('status').textContent.startsWith('Accepted')")

        assert Span.objects.get(pk=spans["only-ben"].pk).review_status == "accepted"

    @pytest.mark.parametrize(("key", "decision"), [("a", "accepted"), ("r", "rejected")])
    def test_the_review_keys_answer_in_lower_case_as_well(self, page, review, key, decision):
        project, document, reviewer, spans = review
        open_review(page, project, document, reviewer)

        page.keyboard.press("j")  # ben's "Peskov"
        page.keyboard.press(key)
        page.wait_for_function("() => /^(Accepted|Rejected)/.test(document.getElementById('status').textContent)")

        assert Span.objects.get(pk=spans["only-ben"].pk).review_status == decision


# For each span id: every fragment's badge (the ::after content, "none" when it has none) and the last fragment's
# lines, outline and tooltip, as Chromium computes them.
LOOKS = """(ids) => Object.fromEntries(ids.map((id) => {
    const marks = [...document.querySelectorAll(`[data-testid='lane'] [data-span-id='${id}']`)];
    const last = getComputedStyle(marks.at(-1));
    return [id, {
        badges: marks.map((mark) => getComputedStyle(mark, "::after").content),
        bottom: `${last.borderBottomStyle} ${last.borderBottomColor}`,
        top: last.borderTopStyle, outline: last.outlineStyle, title: marks.at(-1).title,
    }];
}))"""


class TestReviewStates:
    def test_pending_accepted_and_rejected_each_have_their_own_badge_and_line(self, page, review):
        project, document, reviewer, spans = review
        actor = access_project(reviewer, project.pk)
        span_review(member=actor, span=spans["only-ben"], decision="accepted")
        span_review(member=actor, span=spans["only-anna"], decision="rejected", comment="A prediction.")
        open_review(page, project, document, reviewer)
        ids = {state: spans[name].pk for state, name in
               [("pending", "agreed-anna"), ("accepted", "only-ben"), ("rejected", "only-anna")]}  # fmt: skip

        looks = page.evaluate(LOOKS, list(ids.values()))

        badges = {state: looks[str(pk)]["badges"] for state, pk in ids.items()}
        assert badges == {"pending": ['"•" / "pending"'], "accepted": ['"✓" / "accepted"'],
                          "rejected": ['"✗" / "rejected"']}  # fmt: skip
        line_styles = {looks[str(pk)]["bottom"].split()[0] for pk in ids.values()}
        assert len(line_styles) == 3  # told apart by the line's style, not its colour alone
        assert all(state in looks[str(pk)]["title"] for state, pk in ids.items())

    def test_a_rejected_span_without_a_match_shows_both_marks(self, page, review):
        project, document, reviewer, spans = review
        span_review(member=access_project(reviewer, project.pk), span=spans["only-anna"], decision="rejected")
        open_review(page, project, document, reviewer)

        look = page.evaluate(LOOKS, [spans["only-anna"].pk])[str(spans["only-anna"].pk)]

        assert look["bottom"] == "dashed rgb(166, 27, 27)"  # rejected: red dashes under the span
        assert look["top"] == "dashed"  # no exact match elsewhere: a line of its own above it
        assert look["outline"] == "none"  # nothing drawn around the span that would cover the rejected line

    def test_the_page_counts_the_reviewed_spans_and_the_queue_shows_the_same(self, page, review):
        project, document, reviewer, spans = review
        open_review(page, project, document, reviewer)
        progress = page.get_by_test_id("review-progress")
        before = progress.text_content()

        page.keyboard.press("j")
        page.keyboard.press("A")
        page.wait_for_function("() => document.getElementById('status').textContent.startsWith('Accepted')")
        after = progress.text_content()
        page.goto(f"/projects/{project.pk}/review/")

        assert (before, after) == ("0 of 4 spans reviewed", "1 of 4 spans reviewed")
        row = page.locator(f"[data-document-id='{document.pk}'] [data-field='reviewed']")
        assert row.text_content().strip() == "1 of 4"


def select_in(page, lane_name, start, end):
    """Select text[start:end] (code points) in one lane, as a drag would."""
    utf16 = [len(TEXT[:offset].encode("utf-16-le")) // 2 for offset in (start, end)]
    page.evaluate(
        """([name, from, to]) => {
            const container = document.querySelector(`[data-annotator='${name}'] .lane-text`);
            const at = (offset) => {
                const walker = document.createTreeWalker(container, NodeFilter.SHOW_TEXT);
                for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                    if (offset <= node.data.length) return [node, offset];
                    offset -= node.data.length;
                }
            };
            const [a, aOffset] = at(from);
            const [b, bOffset] = at(to);
            window.getSelection().setBaseAndExtent(a, aOffset, b, bOffset);
        }""",
        [lane_name, *utf16],
    )
