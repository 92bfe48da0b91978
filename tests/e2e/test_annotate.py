import pytest

from annotator.access import access_project
from annotator.models import Role, Span
from annotator.services.documents import document_create_many
from annotator.services.reviews import span_review
from tests.arrange import draw
from tests.e2e.conftest import open_as, sign_in
from tests.factories import PASSWORD, UserFactory

TEXT = "Crowds 👨‍👩‍👧 and 🇺🇦 flags, café\u0301 owners too.\nThen Peskov told reporters that talks would resume."
PHRASE = "told reporters"
ANNOTATE_READY = "[data-testid='document-text'][data-ready='true']"


@pytest.fixture
def setting_documents():
    return [{"text": TEXT}]


def open_document(page, project, document, user):
    open_as(page, user, f"/projects/{project.pk}/documents/{document.pk}/", ANNOTATE_READY)


def phrase_box(page, phrase):
    """Viewport boxes of the first and last character of `phrase` in the article."""
    return page.evaluate(
        """(phrase) => {
            const container = document.querySelector("[data-testid='document-text']");
            const walker = document.createTreeWalker(container, NodeFilter.SHOW_TEXT);
            for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                const at = node.data.indexOf(phrase);
                if (at < 0) continue;
                const box = (from, to) => {
                    const range = document.createRange();
                    range.setStart(node, from);
                    range.setEnd(node, to);
                    const r = range.getBoundingClientRect();
                    return {left: r.left, right: r.right, y: r.top + r.height / 2};
                };
                return {first: box(at, at + 1), last: box(at + phrase.length - 1, at + phrase.length)};
            }
            return null;
        }""",
        phrase,
    )


class TestAnnotate:
    def test_a_saved_spans_text_after_emoji_flags_and_accents_is_listed_as_typed(self, page, setting):
        words = "🇺🇦 flags, café\u0301"
        draw(setting.annotator, setting.document, "Source attribution", words)
        open_document(page, setting.project, setting.document, setting.annotator)
        entry = page.get_by_test_id("span-list").get_by_role("button")
        entry.wait_for()

        assert f"“{words}”" in entry.inner_text()

    def test_dragging_over_a_phrase_after_emoji_and_pressing_a_key_stores_code_point_offsets(self, page, setting):
        project, document, annotator = setting.project, setting.document, setting.annotator
        open_document(page, project, document, annotator)
        box = phrase_box(page, PHRASE)

        page.mouse.move(box["first"]["left"] + 1, box["first"]["y"])
        page.mouse.down()
        page.mouse.move(box["last"]["right"] - 1, box["last"]["y"], steps=5)
        page.mouse.up()
        page.keyboard.press("s")
        page.wait_for_selector("[data-span-id]")

        span = Span.objects.get()
        assert (span.start, span.end) == (TEXT.index(PHRASE), TEXT.index(PHRASE) + len(PHRASE))
        assert span.label.name == "Source attribution"
        assert page.locator(f"[data-span-id='{span.pk}']").inner_text() == PHRASE
        assert page.locator("[data-testid='document-text']").text_content() == TEXT

    def test_a_label_button_click_annotates_the_selection(self, page, setting):
        project, document, annotator = setting.project, setting.document, setting.annotator
        open_document(page, project, document, annotator)
        start = TEXT.index("café\u0301")
        page.evaluate(
            """([from, to]) => {
                const node = document.querySelector("[data-testid='document-text']").firstChild;
                window.getSelection().setBaseAndExtent(node, from, node, to);
            }""",
            [len(TEXT[:start].encode("utf-16-le")) // 2, len(TEXT[: start + 5].encode("utf-16-le")) // 2],
        )

        page.get_by_role("button", name="Loaded language").click()
        page.wait_for_selector("[data-span-id]")

        span = Span.objects.get()
        assert TEXT[span.start : span.end] == "café\u0301"
        assert span.label.name == "Loaded language"

    def test_spans_already_stored_are_drawn_with_their_ids(self, page, setting, client_for):
        project, document, annotator = setting.project, setting.document, setting.annotator
        label = project.labels.get(name="Diplomatic claim")
        start = TEXT.index("talks")
        client_for(annotator).post(
            f"/api/v1/projects/{project.pk}/documents/{document.pk}/spans/",
            [
                {"label": label.pk, "start": start, "end": start + 5},
                {"label": label.pk, "start": start, "end": len(TEXT) - 1},
            ],
            format="json",
        )

        open_document(page, project, document, annotator)

        ids = {int(i) for i in page.eval_on_selector_all("[data-span-id]", "els => els.map(e => e.dataset.spanId)")}
        assert ids == set(Span.objects.values_list("id", flat=True))
        assert page.locator("[data-testid='document-text']").text_content() == TEXT

    def test_each_span_is_drawn_in_its_labels_colour_under_the_strict_policy(self, page, setting):
        project, document, annotator = setting.project, setting.document, setting.annotator
        claim, source = project.labels.get(name="Diplomatic claim"), project.labels.get(name="Source attribution")
        claim.color, source.color = "#12ab34", "#c0ffee"
        claim.save()
        source.save()
        draw(annotator, document, "Diplomatic claim", "talks")
        draw(annotator, document, "Source attribution", "Peskov")

        open_document(page, project, document, annotator)

        colours = page.eval_on_selector_all(
            "[data-span-id]", "els => els.map(e => [e.textContent, getComputedStyle(e).borderBottomColor])"
        )
        assert sorted(colours) == [["Peskov", "rgb(192, 255, 238)"], ["talks", "rgb(18, 171, 52)"]]

    def test_article_markup_is_shown_as_text_and_runs_nothing(self, page, setting):
        project, annotator = setting.project, setting.annotator
        hostile = '<img src=x onerror="window.pwned=1"><script>window.pwned=2</script> plain words'
        [document] = document_create_many(member=access_project(setting.owner, project.pk), items=[{"text": hostile}])

        open_document(page, project, document, annotator)

        assert page.locator("[data-testid='document-text']").text_content() == hostile
        assert page.evaluate("() => window.pwned === undefined")

    def test_a_document_of_a_project_you_are_not_in_is_not_found(self, browser, live_server, setting):
        project, document = setting.project, setting.document
        UserFactory(username="outsider")
        context = browser.new_context(base_url=live_server.url)
        page = context.new_page()
        sign_in(page, UserFactory(username="outsider"), PASSWORD)

        response = page.goto(f"/projects/{project.pk}/documents/{document.pk}/")

        assert response.status == 404
        context.close()


class TestSpanPanel:
    @pytest.fixture
    def drawn(self, setting, client_for):
        project, document, annotator = setting.project, setting.document, setting.annotator
        label = project.labels.get(name="Source attribution")
        start = TEXT.index(PHRASE)
        body = {"label": label.pk, "start": start, "end": start + len(PHRASE)}
        span_id = (
            client_for(annotator)
            .post(f"/api/v1/projects/{project.pk}/documents/{document.pk}/spans/", body, format="json")
            .json()["id"]
        )
        return project, document, annotator, Span.objects.get(pk=span_id)

    def test_clicking_a_span_and_changing_its_label_and_note_saves_with_its_version(self, page, drawn):
        project, document, annotator, span = drawn
        open_document(page, project, document, annotator)

        page.click(f"[data-span-id='{span.pk}']")
        card = page.locator(f"[data-panel-span-id='{span.pk}']")
        card.locator("select").select_option(label="Anonymous source")
        card.locator("textarea").fill("Unnamed in the wire copy")
        card.get_by_role("button", name="Save").click()
        page.wait_for_function("() => document.getElementById('status').textContent.startsWith('Saved')")

        span.refresh_from_db()
        assert (span.label.name, span.note, span.version) == ("Anonymous source", "Unnamed in the wire copy", 2)

    def test_deleting_a_span_removes_its_highlight(self, page, drawn):
        project, document, annotator, span = drawn
        open_document(page, project, document, annotator)

        page.click(f"[data-span-id='{span.pk}']")
        page.get_by_role("button", name="Delete").click()
        page.wait_for_function("() => !document.querySelector('[data-span-id]')")

        assert not Span.objects.filter(pk=span.pk).exists()
        assert page.locator("[data-testid='document-text']").text_content() == TEXT

    def test_a_stale_edit_is_refused_and_the_current_span_is_shown(self, page, drawn, client_for):
        project, document, annotator, span = drawn
        open_document(page, project, document, annotator)
        path = f"/api/v1/projects/{project.pk}/documents/{document.pk}/spans/{span.pk}/"
        client_for(annotator).patch(path, {"note": "changed in another tab", "version": 1}, format="json")

        page.click(f"[data-span-id='{span.pk}']")
        page.locator(f"[data-panel-span-id='{span.pk}'] textarea").fill("my stale edit")
        page.get_by_role("button", name="Save").click()
        page.wait_for_function("() => document.getElementById('status').classList.contains('error')")

        span.refresh_from_db()
        assert span.note == "changed in another tab"
        assert "changed this span" in page.locator("#status").inner_text()
        assert page.locator(f"[data-panel-span-id='{span.pk}'] textarea").input_value() == "changed in another tab"

    def test_another_annotators_span_is_shown_read_only(self, page, drawn):
        project, document, _, span = drawn
        owner = project.members.get(role=Role.OWNER).user
        project.blind = False
        project.save()

        open_document(page, project, document, owner)
        page.click(f"[data-span-id='{span.pk}']")

        card = page.locator(f"[data-panel-span-id='{span.pk}']")
        assert card.locator("select").is_disabled()
        assert card.get_by_role("button", name="Save").count() == 0

    def test_a_rejected_span_is_marked_shows_the_reviewers_comment_and_a_fix_sends_it_back_to_pending(
        self, page, drawn
    ):
        project, document, annotator, span = drawn
        owner = project.members.get(role=Role.OWNER)
        span_review(member=owner, span=span, decision="rejected", comment="The speaker is not named here.")
        open_document(page, project, document, annotator)

        mark = page.locator(f"[data-span-id='{span.pk}']").first
        assert mark.get_attribute("data-review") == "rejected"
        mark.click()
        card = page.locator(f"[data-panel-span-id='{span.pk}']")
        assert "The speaker is not named here." in card.locator(".review-comment").inner_text()

        card.locator("select").select_option(label="Anonymous source")
        card.get_by_role("button", name="Save").click()
        page.wait_for_function("() => document.getElementById('status').textContent.startsWith('Saved')")

        span.refresh_from_db()
        assert span.review_status == "pending"
        assert page.locator(f"[data-span-id='{span.pk}']").first.get_attribute("data-review") is None


def select_code_points(page, start, end):
    """Select text[start:end] (code points) in the article, as a user's drag would."""
    page.evaluate(
        """([from, to]) => {
            const container = document.querySelector("[data-testid='document-text']");
            const walker = document.createTreeWalker(container, NodeFilter.SHOW_TEXT);
            const at = (offset) => {
                for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                    if (offset <= node.data.length) return [node, offset];
                    offset -= node.data.length;
                }
            };
            const [a, aOffset] = at(from);
            walker.currentNode = container;
            const [b, bOffset] = at(to);
            window.getSelection().setBaseAndExtent(a, aOffset, b, bOffset);
        }""",
        [len(TEXT[:start].encode("utf-16-le")) // 2, len(TEXT[:end].encode("utf-16-le")) // 2],
    )


class TestSelectionHelpers:
    def test_a_ragged_selection_snaps_to_whole_words_and_the_choice_is_remembered(self, page, setting):
        project, document, annotator = setting.project, setting.document, setting.annotator
        open_document(page, project, document, annotator)
        start = TEXT.index("old reporters")  # starts inside "told"

        select_code_points(page, start, start + len("old report"))  # ends inside "reporters"
        page.keyboard.press("s")
        page.wait_for_selector("[data-span-id]")
        page.uncheck("#snap")
        page.reload()

        assert TEXT[Span.objects.get().start : Span.objects.get().end] == PHRASE
        assert not page.is_checked("#snap")

    def test_ctrl_z_undoes_the_last_span(self, page, setting):
        project, document, annotator = setting.project, setting.document, setting.annotator
        open_document(page, project, document, annotator)
        start = TEXT.index(PHRASE)
        select_code_points(page, start, start + len(PHRASE))
        page.keyboard.press("s")
        page.wait_for_selector("[data-span-id]")

        page.keyboard.press("Control+z")
        page.wait_for_function("() => !document.querySelector('[data-span-id]')")

        assert not Span.objects.exists()


class TestQueue:
    def test_submit_marks_the_document_submitted_and_opens_the_next_in_the_queue(self, page, setting):
        project, document, annotator = setting.project, setting.document, setting.annotator
        owner = project.members.get(role=Role.OWNER).user
        [second] = document_create_many(member=access_project(owner, project.pk), items=[{"text": "Second."}])
        open_document(page, project, document, annotator)

        page.get_by_role("button", name="Submit").click()
        page.wait_for_url(f"**/projects/{project.pk}/documents/{second.pk}/")

        assert document.assignments.get(user=annotator).status == "submitted"
        assert page.get_by_role("link", name="← Previous").is_visible()


class TestKeyboardOnly:
    def test_the_whole_flow_works_without_a_mouse(self, page, setting):
        project, document, annotator = setting.project, setting.document, setting.annotator
        open_document(page, project, document, annotator)
        words_before = ["Crowds", "and", "flags", "café\u0301", "owners", "too", "Then", "Peskov"]
        assert TEXT.index(PHRASE) > TEXT.index(words_before[-1])

        page.focus("[data-testid='document-text']")
        for _ in words_before:
            page.keyboard.press("Control+ArrowRight")
        page.keyboard.press("Shift+Control+ArrowRight")
        page.keyboard.press("Shift+Control+ArrowRight")
        page.keyboard.press("s")
        page.wait_for_selector("[data-span-id]")

        span = Span.objects.get()
        assert TEXT[span.start : span.end] == PHRASE
        assert span.label.name == "Source attribution"
