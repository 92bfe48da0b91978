"""Relations on the annotate page (issue 14, Pages): drawn from span to span with the mouse or the keyboard alone,
shown as arcs over the text that can be hidden, opened in an editor to change or delete, and undone."""

import pytest

from annotator.models import Relation, Span
from annotator.services.relations import relation_update
from tests.arrange import draw, make_relation_type, member_of, relate
from tests.e2e.conftest import open_as

TEXT = "Late that night Peskov told reporters that talks would resume, and the envoy said nothing."
ANNOTATE_READY = "[data-testid='document-text'][data-ready='true']"
DESKTOP = {"width": 1400, "height": 900}


@pytest.fixture
def setting_documents():
    return [{"title": "Talks resume", "text": TEXT}]


@pytest.fixture
def drawn(setting):
    """The annotator's spans "Peskov" and "the envoy" (sources) and "talks would resume" (a claim), and the
    relation types Says (key q, any labels) and Cites (key w, to a Diplomatic claim only)."""
    annotator, document = setting.annotator, setting.document
    return {
        "peskov": draw(annotator, document, "Source attribution", "Peskov"),
        "claim": draw(annotator, document, "Diplomatic claim", "talks would resume"),
        "envoy": draw(annotator, document, "Source attribution", "the envoy"),
        "says": make_relation_type(setting.owner, setting.project, "Says", key="q", color="#3d85c6"),
        "cites": make_relation_type(setting.owner, setting.project, "Cites", key="w", to_labels=["Diplomatic claim"]),
    }


def open_document(page, setting, user=None):
    page.set_viewport_size(DESKTOP)
    path = f"/projects/{setting.project.pk}/documents/{setting.document.pk}/"
    open_as(page, user or setting.annotator, path, ANNOTATE_READY)


def mark_of(page, span):
    return page.locator(f"[data-testid='document-text'] [data-span-id='{span.pk}']").first


def click_span(page, span):
    """Click the middle of the span's highlight, where a reader would (the arcs above it let the click through)."""
    box = mark_of(page, span).bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)


def arc_of(page, relation_id):
    return page.locator(f"[data-testid='relation-arcs'] [data-relation-id='{relation_id}']")


def wait_for_status(page, starting):
    page.wait_for_function("(start) => document.getElementById('status').textContent.startsWith(start)", arg=starting)


def relations_of(setting):
    return list(Relation.objects.filter(document=setting.document).order_by("id"))


class TestDrawingARelation:
    def test_with_the_mouse_a_span_a_type_button_and_another_span_save_it_and_draw_its_arc(self, page, setting, drawn):
        open_document(page, setting)

        click_span(page, drawn["peskov"])
        page.locator(f"[data-relation-type-id='{drawn['says'].pk}']").click()
        click_span(page, drawn["claim"])
        wait_for_status(page, "Saved:")

        [relation] = relations_of(setting)
        assert (relation.type_id, relation.from_span_id, relation.to_span_id) == (
            drawn["says"].pk,
            drawn["peskov"].pk,
            drawn["claim"].pk,
        )
        assert relation.annotator == setting.annotator
        arc = arc_of(page, relation.pk)
        arc.wait_for()
        assert arc.locator("text").first.text_content() == "Says"

    def test_with_the_keyboard_alone_it_is_saved_too(self, page, setting, drawn):
        open_document(page, setting)
        page.locator("[data-testid='document-text']").focus()

        page.keyboard.press("Alt+ArrowDown")  # opens "Peskov", the first span after the caret
        page.get_by_test_id("span-panel").wait_for(state="visible")
        page.keyboard.press("q")
        page.keyboard.press("Alt+ArrowDown")  # the next of the annotator's spans: "talks would resume"
        page.keyboard.press("Alt+ArrowDown")  # and the one after: "the envoy"
        assert mark_of(page, drawn["envoy"]).get_attribute("data-target") == "true"
        page.keyboard.press("Enter")
        wait_for_status(page, "Saved:")

        [relation] = relations_of(setting)
        assert (relation.from_span_id, relation.to_span_id, relation.type_id) == (
            drawn["peskov"].pk,
            drawn["envoy"].pk,
            drawn["says"].pk,
        )
        arc_of(page, relation.pk).wait_for()

    def test_escape_cancels_a_relation_being_drawn(self, page, setting, drawn):
        open_document(page, setting)
        click_span(page, drawn["peskov"])
        page.keyboard.press("q")

        page.keyboard.press("Escape")
        click_span(page, drawn["claim"])

        assert page.get_by_test_id("span-panel").is_visible()  # the click opened the span, drew nothing
        assert relations_of(setting) == []

    def test_a_refused_relation_is_said_in_the_toast_and_nothing_is_drawn(self, page, setting, drawn):
        open_document(page, setting)

        click_span(page, drawn["peskov"])
        page.keyboard.press("w")  # Cites points only to a Diplomatic claim
        click_span(page, drawn["envoy"])
        wait_for_status(page, "Relation not saved")

        assert "to_span" in page.locator("#status").text_content()
        assert page.locator("#status").get_attribute("class").split().count("error") == 1
        assert page.locator("[data-testid='relation-arcs'] [data-relation-id]").count() == 0
        assert relations_of(setting) == []

    def test_a_read_only_page_draws_no_relation(self, page, setting, drawn):
        relate(setting.annotator, drawn["says"], drawn["peskov"], drawn["claim"])
        draw(setting.owner, setting.document, "Source attribution", "Late that night")
        open_document(page, setting, setting.owner)  # not assigned: the page opens read-only

        assert page.locator(f"[data-relation-type-id='{drawn['says'].pk}']").is_disabled()
        click_span(page, drawn["peskov"])
        page.keyboard.press("q")
        click_span(page, drawn["envoy"])

        assert len(relations_of(setting)) == 1
        assert page.locator("body[data-relating]").count() == 0


class TestArcs:
    def test_an_arc_sits_above_the_text_between_its_two_spans(self, page, setting, drawn):
        relation = relate(setting.annotator, drawn["says"], drawn["peskov"], drawn["claim"])
        open_document(page, setting)

        arc = arc_of(page, relation.pk).locator(".arc-line").bounding_box()
        start = mark_of(page, drawn["peskov"]).bounding_box()
        end = mark_of(page, drawn["claim"]).bounding_box()

        assert start["x"] <= arc["x"] <= start["x"] + start["width"]
        assert end["x"] <= arc["x"] + arc["width"] <= end["x"] + end["width"]
        assert arc["y"] < start["y"] and arc["y"] + arc["height"] <= end["y"] + 3
        text = page.locator("[data-testid='document-text']").text_content()
        assert text == TEXT

    def test_overlapping_arcs_on_one_line_are_drawn_at_different_heights(self, page, setting, drawn):
        inner = relate(setting.annotator, drawn["says"], drawn["peskov"], drawn["claim"])
        outer = relate(setting.annotator, drawn["says"], drawn["peskov"], drawn["envoy"])
        open_document(page, setting)

        low = arc_of(page, inner.pk).locator(".arc-line").bounding_box()
        high = arc_of(page, outer.pk).locator(".arc-line").bounding_box()

        assert high["y"] < low["y"] - 3

    @pytest.mark.parametrize("width", [1400, 420], ids=["one line", "ends on different lines"])
    def test_two_arcs_between_the_same_spans_write_their_names_apart(self, page, setting, drawn, width):
        quotes = make_relation_type(setting.owner, setting.project, "Quotes", key="e", color="#cc0000")
        relations = [
            relate(setting.annotator, drawn["says"], drawn["peskov"], drawn["envoy"]),
            relate(setting.annotator, quotes, drawn["peskov"], drawn["envoy"]),
        ]
        open_document(page, setting)
        page.set_viewport_size({"width": width, "height": 900})
        page.wait_for_function(
            "([id, n]) => document.querySelectorAll(`[data-relation-id='${id}'] .arc-line`).length === n",
            arg=[relations[0].pk, 1 if width > 1000 else 2],
        )

        first, second = (arc_of(page, r.pk).locator(".arc-label").first.bounding_box() for r in relations)

        apart_x = first["x"] + first["width"] <= second["x"] or second["x"] + second["width"] <= first["x"]
        apart_y = first["y"] + first["height"] <= second["y"] or second["y"] + second["height"] <= first["y"]
        assert apart_x or apart_y

    def test_ends_on_different_lines_get_two_halves_and_one_arrowhead_and_follow_a_resize(self, page, setting, drawn):
        relation = relate(setting.annotator, drawn["says"], drawn["peskov"], drawn["envoy"])
        open_document(page, setting)
        arc = arc_of(page, relation.pk)
        arc.wait_for()
        assert arc.locator(".arc-line").count() == 1  # one line at 1,400 px

        page.set_viewport_size({"width": 420, "height": 900})  # the article wraps: Peskov and the envoy part
        page.wait_for_function(
            "(id) => document.querySelectorAll(`[data-relation-id='${id}'] .arc-line`).length === 2", arg=relation.pk
        )

        assert arc.locator("[marker-end]").count() == 1
        start, end = mark_of(page, drawn["peskov"]).bounding_box(), mark_of(page, drawn["envoy"]).bounding_box()
        leave, enter = (box.bounding_box() for box in arc.locator(".arc-line").all())
        assert leave["y"] + leave["height"] <= start["y"] + 3 and enter["y"] + enter["height"] <= end["y"] + 3
        assert enter["y"] > leave["y"] + 20

    def test_show_relations_hides_the_arcs_and_the_page_remembers_it(self, page, setting, drawn):
        relation = relate(setting.annotator, drawn["says"], drawn["peskov"], drawn["claim"])
        open_document(page, setting)
        arc_of(page, relation.pk).wait_for()

        page.uncheck("#show-relations")
        assert arc_of(page, relation.pk).is_hidden()

        page.reload()
        page.wait_for_selector(ANNOTATE_READY)
        assert not page.is_checked("#show-relations")
        assert arc_of(page, relation.pk).is_hidden()

        page.check("#show-relations")
        arc_of(page, relation.pk).wait_for()

    def test_deleting_a_span_takes_its_arcs_away(self, page, setting, drawn):
        relation = relate(setting.annotator, drawn["says"], drawn["peskov"], drawn["claim"])
        open_document(page, setting)

        click_span(page, drawn["claim"])
        page.get_by_test_id("span-panel").get_by_role("button", name="Delete").click()
        wait_for_status(page, "Deleted")

        arc_of(page, relation.pk).wait_for(state="detached")
        assert relations_of(setting) == []


class TestArcsOfALongArticle:
    """The arcs near the window come at once, the rest when the browser is idle (arcs.js): every arc is drawn all
    the same, where it belongs."""

    FAR = "Days later the ministry said the border would open again."

    @pytest.fixture
    def setting_documents(self):
        filler = " ".join(["The harbour stayed quiet while reporters waited for a statement."] * 150)
        return [{"title": "A long week", "text": f"{TEXT} {filler} {self.FAR}"}]

    def test_an_arc_far_below_the_window_is_drawn_over_its_spans_too(self, page, setting, drawn):
        ministry = draw(setting.annotator, setting.document, "Source attribution", "the ministry")
        border = draw(setting.annotator, setting.document, "Diplomatic claim", "the border would open")
        near = relate(setting.annotator, drawn["says"], drawn["peskov"], drawn["claim"])
        far = relate(setting.annotator, drawn["says"], ministry, border)
        open_document(page, setting)
        page.wait_for_selector("[data-testid='relation-arcs'][data-ready='true']")

        assert mark_of(page, ministry).bounding_box()["y"] > 3 * DESKTOP["height"]  # far below the window
        assert arc_of(page, near.pk).count() == 1
        mark_of(page, ministry).scroll_into_view_if_needed()
        arc = arc_of(page, far.pk).locator(".arc-line").bounding_box()
        start, end = mark_of(page, ministry).bounding_box(), mark_of(page, border).bounding_box()
        assert start["x"] <= arc["x"] <= start["x"] + start["width"]
        assert end["x"] <= arc["x"] + arc["width"] <= end["x"] + end["width"]
        assert arc["y"] < start["y"] and arc["y"] + arc["height"] < end["y"] + end["height"] / 2  # onto its top


class TestTheRelationEditor:
    def test_clicking_an_arc_opens_it_to_change_its_type_and_to_delete_it(self, page, setting, drawn):
        relation = relate(setting.annotator, drawn["says"], drawn["peskov"], drawn["claim"])
        open_document(page, setting)

        arc_of(page, relation.pk).locator("text").first.click()
        editor = page.get_by_test_id("relation-panel")
        editor.wait_for(state="visible")
        editor.locator("select[name=type]").select_option(str(drawn["cites"].pk))
        editor.get_by_role("button", name="Save").click()
        wait_for_status(page, "Saved the relation as Cites")

        relation.refresh_from_db()
        assert (relation.type_id, relation.version) == (drawn["cites"].pk, 2)
        assert arc_of(page, relation.pk).locator("text").first.text_content() == "Cites"

        editor.get_by_role("button", name="Delete").click()
        wait_for_status(page, "Deleted the Cites relation")

        assert relations_of(setting) == []
        assert arc_of(page, relation.pk).count() == 0
        assert editor.is_hidden()

    def test_someone_elses_relation_opens_read_only(self, page, setting, drawn):
        relation = relate(setting.annotator, drawn["says"], drawn["peskov"], drawn["claim"])
        open_document(page, setting, setting.owner)

        arc_of(page, relation.pk).locator("text").first.click()
        editor = page.get_by_test_id("relation-panel")
        editor.wait_for(state="visible")

        assert editor.locator("select[name=type]").is_disabled()
        assert editor.get_by_role("button", name="Delete").count() == 0

    def test_undo_brings_a_deleted_relation_back_under_a_new_id_and_a_second_undo_follows_it(
        self, page, setting, drawn
    ):
        relation = relate(setting.annotator, drawn["says"], drawn["peskov"], drawn["claim"])
        open_document(page, setting)
        arc_of(page, relation.pk).locator("text").first.click()
        editor = page.get_by_test_id("relation-panel")
        editor.locator("select[name=type]").select_option(str(drawn["cites"].pk))
        editor.get_by_role("button", name="Save").click()
        wait_for_status(page, "Saved the relation")
        editor.get_by_role("button", name="Delete").click()
        wait_for_status(page, "Deleted")

        page.keyboard.press("Control+z")
        wait_for_status(page, "Undone: the Cites relation is back")
        [back] = relations_of(setting)
        assert back.pk != relation.pk and back.type_id == drawn["cites"].pk
        arc_of(page, back.pk).wait_for()

        page.keyboard.press("Control+z")
        wait_for_status(page, "Undone: the relation is back as it was")
        back.refresh_from_db()
        assert back.type_id == drawn["says"].pk
        assert arc_of(page, back.pk).locator("text").first.text_content() == "Says"

    def test_undo_of_a_drawn_relation_removes_it(self, page, setting, drawn):
        open_document(page, setting)
        click_span(page, drawn["peskov"])
        page.keyboard.press("q")
        click_span(page, drawn["claim"])
        wait_for_status(page, "Saved:")

        page.keyboard.press("Control+z")
        wait_for_status(page, "Undone: the relation is removed")

        assert relations_of(setting) == []
        assert page.locator("[data-testid='relation-arcs'] [data-relation-id]").count() == 0

    def test_undoing_a_span_delete_brings_its_relations_back_too(self, page, setting, drawn):
        relate(setting.annotator, drawn["says"], drawn["peskov"], drawn["claim"])
        open_document(page, setting)
        click_span(page, drawn["claim"])
        page.get_by_test_id("span-panel").get_by_role("button", name="Delete").click()
        wait_for_status(page, "Deleted")
        assert relations_of(setting) == []

        page.keyboard.press("Control+z")
        wait_for_status(page, "Undone: “talks would resume” is back")

        claim = Span.objects.get(document=setting.document, start=drawn["claim"].start, end=drawn["claim"].end)
        [relation] = relations_of(setting)
        assert (relation.from_span_id, relation.to_span_id) == (drawn["peskov"].pk, claim.pk)
        arc_of(page, relation.pk).wait_for()

    def test_a_stale_change_shows_the_relation_as_it_now_is(self, page, setting, drawn):
        relation = relate(setting.annotator, drawn["says"], drawn["peskov"], drawn["claim"])
        open_document(page, setting)
        arc_of(page, relation.pk).locator("text").first.click()
        editor = page.get_by_test_id("relation-panel")
        editor.wait_for(state="visible")
        relation_update(
            member=member_of(setting.annotator, setting.project), relation=relation, note="Changed elsewhere"
        )

        editor.locator("select[name=type]").select_option(str(drawn["cites"].pk))
        editor.get_by_role("button", name="Save").click()
        wait_for_status(page, "Someone changed this relation meanwhile")

        relation.refresh_from_db()
        assert relation.type_id == drawn["says"].pk
        assert editor.locator("textarea[name=note]").input_value() == "Changed elsewhere"
        assert editor.locator("select[name=type]").input_value() == str(drawn["says"].pk)
