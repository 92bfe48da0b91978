"""The annotate page's span editor, span list, label tags, undo history and layout, as a new user meets them on
a long article at a desktop screen's size (issue 13, items 1, 2, 4, 6 and 7)."""

import math

import pytest

from annotator.models import Span
from annotator.services.projects import project_update
from tests.arrange import draw, member_of
from tests.e2e.conftest import open_as

FILLER = (
    "Delegations met again in the border town on Tuesday, and officials from both sides described the mood "
    "as businesslike, if guarded, while crowds waited outside the hall for news."
)
# Forty paragraphs put the last one far below the first screen of a 1,400 × 900 window.
LONG = "\n\n".join(f"{n}. {FILLER}" for n in range(1, 41)) + (
    "\n\nLate that night Peskov told reporters that talks would resume, and the envoy said nothing."
)
ANNOTATE_READY = "[data-testid='document-text'][data-ready='true']"
DESKTOP = {"width": 1400, "height": 900}


@pytest.fixture
def setting_documents():
    return [{"title": "Talks resume", "text": LONG}]


def open_document(page, setting, user=None):
    page.set_viewport_size(DESKTOP)
    path = f"/projects/{setting.project.pk}/documents/{setting.document.pk}/"
    open_as(page, user or setting.annotator, path, ANNOTATE_READY)


def mark_of(page, span):
    return page.locator(f"[data-testid='document-text'] [data-span-id='{span.pk}']").first


def select_text(page, phrase):
    """Select the first `phrase` of the article (ASCII text: code points and UTF-16 units agree)."""
    start = LONG.index(phrase)
    page.evaluate(
        """([from, to]) => {
            const container = document.querySelector("[data-testid='document-text']");
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
        [start, start + len(phrase)],
    )


def wait_for_status(page, starting):
    page.wait_for_function("(start) => document.getElementById('status').textContent.startsWith(start)", arg=starting)


def inside_viewport(box, viewport):
    return (
        box["x"] >= 0
        and box["y"] >= 0
        and box["x"] + box["width"] <= viewport["width"]
        and box["y"] + box["height"] <= viewport["height"]
    )


def gap_between(a, b):
    """The shortest distance in pixels between two boxes (0 when they touch or overlap)."""
    dx = max(0, b["x"] - (a["x"] + a["width"]), a["x"] - (b["x"] + b["width"]))
    dy = max(0, b["y"] - (a["y"] + a["height"]), a["y"] - (b["y"] + b["height"]))
    return math.hypot(dx, dy)


def focus_is_in(page, selector):
    return page.evaluate("(selector) => document.querySelector(selector).contains(document.activeElement)", selector)


class TestTheSpanEditor:
    def test_it_opens_beside_a_span_far_down_a_long_article_on_screen_and_escape_closes_it(self, page, setting):
        span = draw(setting.annotator, setting.document, "Source attribution", "told reporters")
        open_document(page, setting)
        mark = mark_of(page, span)
        mark.scroll_into_view_if_needed()

        mark.click()
        editor = page.get_by_test_id("span-panel")
        editor.wait_for(state="visible")

        assert editor.locator(f"[data-panel-span-id='{span.pk}']").count() == 1
        assert inside_viewport(editor.bounding_box(), page.viewport_size)
        assert gap_between(editor.bounding_box(), mark.bounding_box()) < 40
        assert focus_is_in(page, "#span-panel")
        assert mark.get_attribute("data-chosen") == "true"

        page.keyboard.press("Escape")

        assert editor.is_hidden()
        assert focus_is_in(page, "[data-testid='document-text']")
        assert page.locator("[data-chosen]").count() == 0

    def test_its_close_button_closes_it(self, page, setting):
        span = draw(setting.annotator, setting.document, "Source attribution", "told reporters")
        open_document(page, setting)
        mark_of(page, span).click()

        page.get_by_test_id("span-panel").get_by_role("button", name="Close").click()

        assert page.get_by_test_id("span-panel").is_hidden()

    def test_the_saved_message_shows_where_the_user_is_looking(self, page, setting):
        span = draw(setting.annotator, setting.document, "Source attribution", "told reporters")
        open_document(page, setting)
        mark_of(page, span).click()
        card = page.locator(f"[data-panel-span-id='{span.pk}']")

        card.locator("textarea").fill("Kremlin spokesman")
        card.get_by_role("button", name="Save").click()
        wait_for_status(page, "Saved")

        # The user is looking at the span they edited: the message is on screen together with it.
        assert inside_viewport(mark_of(page, span).bounding_box(), page.viewport_size)
        assert inside_viewport(page.locator("#status").bounding_box(), page.viewport_size)
        span.refresh_from_db()
        assert span.note == "Kremlin spokesman"


class TestUndo:
    def test_undo_follows_a_deleted_span_to_the_id_it_comes_back_under(self, page, setting):
        open_document(page, setting)
        select_text(page, "told reporters")
        page.keyboard.press("s")
        wait_for_status(page, "Saved “told reporters”")
        select_text(page, "talks would resume")
        page.keyboard.press("d")
        wait_for_status(page, "Saved “talks would resume”")
        first = Span.objects.get(start=LONG.index("told reporters"))
        second = Span.objects.get(start=LONG.index("talks would resume"))

        mark_of(page, first).click()
        card = page.locator(f"[data-panel-span-id='{first.pk}']")
        card.locator("select").select_option(label="Anonymous source")
        card.get_by_role("button", name="Save").click()
        wait_for_status(page, "Saved")
        mark_of(page, first).click()
        page.locator(f"[data-panel-span-id='{first.pk}']").get_by_role("button", name="Delete").click()
        wait_for_status(page, "Deleted")

        page.keyboard.press("Control+z")
        wait_for_status(page, "Undone: “told reporters” is back.")
        page.keyboard.press("Control+z")
        page.wait_for_function(
            "() => document.getElementById('status').textContent.includes('as it was')"
            " || document.getElementById('status').classList.contains('error')"
        )

        status = page.locator("#status").inner_text()
        assert "Not saved" not in status and "as it was" in status
        back = Span.objects.get(start=LONG.index("told reporters"))
        assert back.pk != first.pk
        assert (back.label.name, back.version) == ("Source attribution", 2)
        second.refresh_from_db()
        assert second.label.name == "Diplomatic claim"


class TestLabelsOnTheText:
    def test_a_span_shows_its_label_name_without_hovering(self, page, setting):
        span = draw(setting.annotator, setting.document, "Source attribution", "told reporters")
        open_document(page, setting)

        tag = mark_of(page, span).evaluate("(mark) => getComputedStyle(mark, '::before').content")

        assert "Source attribution" in tag
        assert page.get_by_test_id("document-text").text_content() == LONG

    def test_a_nested_span_leaves_the_outer_span_visible_and_clickable(self, page, setting):
        outer = draw(setting.annotator, setting.document, "Diplomatic claim", "Peskov told reporters that talks")
        inner = draw(setting.annotator, setting.document, "Source attribution", "told reporters")
        open_document(page, setting)
        inner_mark = mark_of(page, inner)
        inner_mark.scroll_into_view_if_needed()

        # The outer span's own box around the inner stretch must reach beyond the inner highlight.
        found = inner_mark.evaluate(
            """(inner) => {
                const outer = inner.parentElement;
                const innerBox = inner.getBoundingClientRect();
                const outerBox = outer.getBoundingClientRect();
                const x = innerBox.left + innerBox.width / 2;
                const hit = document.elementFromPoint(x, outerBox.bottom - 1);
                return {outer: outer.dataset.spanId, hit: hit && hit.dataset.spanId};
            }"""
        )

        assert found == {"outer": str(outer.pk), "hit": str(outer.pk)}


class TestTheSpanList:
    def test_it_lists_each_span_with_label_text_and_note_and_a_click_opens_it_on_screen(self, page, setting):
        draw(setting.annotator, setting.document, "Diplomatic claim", "Delegations met again")
        span = draw(setting.annotator, setting.document, "Source attribution", "told reporters", note="Kremlin")
        open_document(page, setting)
        entries = page.get_by_test_id("span-list").get_by_role("button")

        assert entries.count() == 2
        last = entries.nth(1)
        assert "Source attribution" in last.inner_text()
        assert "told reporters" in last.inner_text()
        assert "Kremlin" in last.inner_text()

        last.click()
        editor = page.get_by_test_id("span-panel")
        editor.wait_for(state="visible")

        assert editor.locator(f"[data-panel-span-id='{span.pk}']").count() == 1
        assert inside_viewport(mark_of(page, span).bounding_box(), page.viewport_size)
        assert inside_viewport(editor.bounding_box(), page.viewport_size)

    def test_it_follows_spans_drawn_and_deleted_on_the_page(self, page, setting):
        open_document(page, setting)
        select_text(page, "told reporters")
        page.keyboard.press("s")
        wait_for_status(page, "Saved")
        entries = page.get_by_test_id("span-list").get_by_role("button")
        entries.first.wait_for()

        assert entries.count() == 1

        page.keyboard.press("Control+z")
        wait_for_status(page, "Undone")
        page.wait_for_function("() => !document.querySelector(\"[data-testid='span-list'] button\")")


class TestLabelKeysInTheEditor:
    def test_a_labels_key_relabels_the_open_span_at_once_and_undo_brings_the_old_label_back(self, page, setting):
        span = draw(setting.annotator, setting.document, "Source attribution", "told reporters")
        open_document(page, setting)
        mark_of(page, span).click()

        page.keyboard.press("a")
        wait_for_status(page, "Saved")
        span.refresh_from_db()

        assert (span.label.name, span.version) == ("Anonymous source", 2)
        card = page.locator(f"[data-panel-span-id='{span.pk}']")
        assert card.locator("select option:checked").inner_text() == "Anonymous source"

        page.keyboard.press("Control+z")
        wait_for_status(page, "Undone")
        span.refresh_from_db()
        assert span.label.name == "Source attribution"

    def test_keys_typed_into_the_note_stay_in_the_note(self, page, setting):
        span = draw(setting.annotator, setting.document, "Source attribution", "told reporters")
        open_document(page, setting)
        mark_of(page, span).click()

        note = page.locator(f"[data-panel-span-id='{span.pk}'] textarea")
        note.click()
        page.keyboard.type("a denial")

        assert note.input_value() == "a denial"
        span.refresh_from_db()
        assert (span.label.name, span.version) == ("Source attribution", 1)

    def test_the_label_select_wears_the_theme(self, page, setting):
        span = draw(setting.annotator, setting.document, "Source attribution", "told reporters")
        open_document(page, setting)
        mark_of(page, span).click()

        look = page.locator(f"[data-panel-span-id='{span.pk}'] select").evaluate(
            "(s) => { const c = getComputedStyle(s); return [c.appearance, c.borderTopLeftRadius]; }"
        )

        assert look == ["none", "4px"]


class TestLayout:
    def test_the_article_uses_most_of_a_1400_pixel_screen(self, page, setting):
        open_document(page, setting)

        width = page.get_by_test_id("document-text").bounding_box()["width"]

        assert width / DESKTOP["width"] >= 0.6

    def test_open_guidelines_leave_every_label_on_screen_and_scroll_inside(self, page, setting):
        guidelines = "\n\n".join(f"## Rule {n}\n\nMark every named source in paragraph {n}." for n in range(60))
        project_update(member=member_of(setting.owner, setting.project), guidelines=guidelines)
        open_document(page, setting)

        page.get_by_test_id("guidelines").locator("summary").click()

        for button in page.locator("#labels [data-label-id]").all():
            assert inside_viewport(button.bounding_box(), page.viewport_size), button.inner_text()
        body = page.locator(".guidelines-body")
        assert body.evaluate("(b) => b.scrollHeight > b.clientHeight")
        assert body.bounding_box()["height"] <= 0.45 * DESKTOP["height"]

    def test_label_descriptions_are_collapsed_until_asked_for(self, page, setting):
        open_document(page, setting)
        item = page.locator("#labels li").filter(has=page.locator("[data-key='s']"))
        description = item.get_by_text("Who a claim is credited to")

        assert description.is_hidden()

        item.get_by_role("button", name="What this label means").click()

        assert description.is_visible()
