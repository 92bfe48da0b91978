import re

import pytest

from annotator.models import Document, Label, Project, Role
from annotator.presets import PRESETS
from annotator.services.documents import document_create_many
from annotator.services.members import member_add
from annotator.services.projects import project_update
from annotator.text import text_hash
from tests.arrange import answer, draw, draw_gold, make_question, member_of, submit, suggest
from tests.e2e.conftest import open_as, sign_in
from tests.factories import PASSWORD, UserFactory


@pytest.fixture
def setting_documents():
    return [
        {"text": "The envoy spoke.", "title": "Envoy speaks", "source": "Wire One"},
        {"text": "Talks would resume.", "title": "Talks resume", "source": "Wire One"},
        {"text": "Harbour strike ends.", "title": "Harbour strike", "source": "Daily Two"},
    ]


@pytest.fixture
def queue(setting):
    """The annotator's three documents, the first already submitted."""
    submit(setting.annotator, setting.documents[0])
    return setting.project, setting.documents, setting.annotator


class TestProjectPages:
    def test_continue_annotating_opens_the_first_document_not_yet_submitted(self, page, queue):
        project, documents, annotator = queue
        sign_in(page, annotator, PASSWORD)

        page.click(f"[data-project-id='{project.pk}'] a")
        page.click("[data-testid='continue']")
        page.wait_for_selector("[data-testid='document-text'][data-ready='true']")

        assert page.url.endswith(f"/projects/{project.pk}/documents/{documents[1].pk}/")
        assert page.locator("[data-testid='document-text']").text_content() == "Talks would resume."

    def test_searching_the_documents_narrows_the_table(self, page, queue):
        project, documents, annotator = queue
        sign_in(page, annotator, PASSWORD)
        page.goto(f"/projects/{project.pk}/documents/")
        assert page.locator("[data-document-id]").count() == 3

        page.fill("input[name=q]", "harbour")
        page.click("[data-testid='filters'] button[type=submit]")
        page.wait_for_url("**/documents/?q=harbour*")

        assert page.locator("[data-document-id]").all_inner_texts()[0].startswith("Harbour strike")
        assert page.locator("[data-document-id]").count() == 1


WORDS = "alpha bravo charlie delta echo foxtrot golf hotel india juliet"
OUTLETS = ["Harbour Ledger", "Baltmere Daily", "The Tessaly Observer", "Northgate Courier", "The Corvin Post",
           "Eastbridge Chronicle", "Северный вестник"]  # fmt: skip


@pytest.fixture
def charted(setting):
    """The framing preset's ten labels used across seven outlets, and a document two annotators both submitted,
    so the overview draws the framing profile and the pair-by-pair kappa map."""
    project, owner, annotator = setting.project, setting.owner, setting.annotator
    ben = UserFactory(username="ben")
    member_add(actor=member_of(owner, project), username=ben.username, role=Role.ANNOTATOR)
    items = [{"text": WORDS, "title": outlet, "source": outlet} for outlet in OUTLETS]
    documents = document_create_many(member=member_of(owner, project), items=items)
    labels = list(Label.objects.filter(project=project).order_by("id"))
    for i, (label, word) in enumerate(zip(labels, WORDS.split(), strict=True)):
        draw(annotator, documents[i % len(documents)], label, word)
    for word, label in [("alpha", labels[0]), ("hotel", labels[7]), ("india", labels[8])]:
        draw(ben, documents[0], label, word)
    for user in (annotator, ben):
        submit(user, documents[0])
    return project, owner, [label.name for label in labels]


# Every axis label of a chart: its text, its size as drawn (an SVG scaled to fit shrinks its text), and whether the
# text's box lies within the scrolling box around the chart, which itself must not scroll sideways.
AXES = """(testid) => {
    const chart = document.querySelector(`[data-testid='${testid}']`);
    const frame = chart.closest(".chart-scroll").getBoundingClientRect();
    const scroller = chart.closest(".chart-scroll");
    const box = (el) => {
        if (el instanceof SVGElement) return el.getBoundingClientRect();
        const range = document.createRange();
        range.selectNodeContents(el);
        return range.getBoundingClientRect();
    };
    const drawnSize = (el) => {
        const ctm = el instanceof SVGGraphicsElement ? el.getScreenCTM() : null;
        return parseFloat(getComputedStyle(el).fontSize) * (ctm ? Math.hypot(ctm.a, ctm.b) : 1);
    };
    const labels = (selector) => [...chart.querySelectorAll(selector)].map((el) => {
        const r = box(el);
        return {text: el.textContent.trim(), size: drawnSize(el),
                inside: r.left >= frame.left - 0.5 && r.right <= frame.right + 0.5 && r.top >= frame.top - 0.5};
    });
    return {columns: labels(".column-label"), rows: labels(".row-label"),
            scrolls: scroller.scrollWidth > scroller.clientWidth};
}"""


class TestOverviewCharts:
    @pytest.mark.parametrize("testid", ["profile-chart", "pair-map"])
    def test_axis_labels_are_whole_readable_and_inside_the_page_at_1280_pixels(self, page, charted, testid):
        project, owner, names = charted
        page.set_viewport_size({"width": 1280, "height": 900})
        open_as(page, owner, f"/projects/{project.pk}/", "body")

        axes = page.evaluate(AXES, testid)

        outlets = sorted([*OUTLETS, "Wire One", "Daily Two"])  # the setting's own documents have outlets too
        expected = {"profile-chart": (names, outlets), "pair-map": (["annotator", "ben"], ["annotator", "ben"])}
        assert ([c["text"] for c in axes["columns"]], [r["text"] for r in axes["rows"]]) == expected[testid]
        assert min(label["size"] for label in axes["columns"] + axes["rows"]) >= 12
        assert [label["text"] for label in axes["columns"] + axes["rows"] if not label["inside"]] == []
        assert not axes["scrolls"]

    def test_answers_per_outlet_fill_each_bar_and_show_their_counts_as_text(self, page, charted):
        project, owner, _ = charted
        tone = make_question(owner, project)
        annotator = project.members.get(user__username="annotator").user
        for document, value in zip(
            project.documents.order_by("id")[:4], ["pro", "pro", "anti", "neutral"], strict=True
        ):
            answer(annotator, document, tone, value)
        page.set_viewport_size({"width": 1280, "height": 900})
        open_as(page, owner, f"/projects/{project.pk}/", "body")

        bars = page.evaluate(
            """() => [...document.querySelectorAll("[data-testid='question-chart'] > g[data-row]")].map((bar) => ({
                row: bar.dataset.row,
                track: bar.querySelector("rect.track").getBoundingClientRect().width,
                filled: [...bar.querySelectorAll("g[data-value] rect")].reduce(
                    (sum, rect) => sum + rect.getBoundingClientRect().width, 0),
                right: bar.getBoundingClientRect().right}))"""
        )
        page.click("[data-question-id] summary")

        # The first four documents: the setting's Wire One, Wire One and Daily Two, then charted's Harbour Ledger.
        assert [bar["row"] for bar in bars] == ["All outlets", "Daily Two", "Harbour Ledger", "Wire One"]
        assert all(abs(bar["filled"] - bar["track"]) < 1 for bar in bars)
        assert max(bar["right"] for bar in bars) <= 1280
        counts = page.locator("[data-testid='question-chart-counts'] tr[data-row='All outlets'] td[data-value]")
        assert counts.all_inner_texts() == ["2 (50%)", "1 (25%)", "1 (25%)"]

    def test_the_kappa_map_leaves_its_diagonal_blank(self, page, charted):
        project, owner, _ = charted
        open_as(page, owner, f"/projects/{project.pk}/", "body")

        cells = page.evaluate(
            """() => [...document.querySelectorAll("[data-testid='pair-map'] [data-row][data-column]")].map((cell) => (
                {row: cell.dataset.row, column: cell.dataset.column, text: cell.textContent.trim()}))"""
        )

        diagonal = [cell["text"] for cell in cells if cell["row"] == cell["column"]]
        others = [cell["text"] for cell in cells if cell["row"] != cell["column"]]
        assert diagonal == ["", ""]
        assert len(others) == 2 and all(text not in ("", "—") for text in others)


class TestAgreementSinceVersion:
    @pytest.fixture
    def reworked(self, setting):
        """Two annotators who disagree on the first document under codebook v1 and agree on the second under v2,
        after the owner clarified the guidelines."""
        project, owner, annotator = setting.project, setting.owner, setting.annotator
        ben = UserFactory(username="ben")
        member_add(actor=member_of(owner, project), username=ben.username, role=Role.ANNOTATOR)
        first, second, _ = setting.documents
        draw(annotator, first, "Source attribution", "The envoy")
        draw(ben, first, "Editorial appeal", "spoke")
        project_update(member=member_of(owner, project), guidelines="A source is who speaks, never the verb.")
        for user in (annotator, ben):
            draw(user, second, "Source attribution", "Talks")
            for document in (first, second):
                submit(user, document)
        project.refresh_from_db()
        return project, owner

    def test_choosing_the_current_codebook_reloads_the_figures_for_the_documents_that_remain(self, page, reworked):
        project, owner = reworked
        open_as(page, owner, f"/projects/{project.pk}/", "body")
        documents = page.locator("[data-testid='agreement-documents']")
        exact = page.locator("[data-testid='agreement-table'] [data-row='overall'] [data-field='span_f1_exact']")
        assert (documents.text_content(), exact.text_content()) == ("2", "0.500")

        page.select_option("#since-version", str(project.codebook_version))
        page.wait_for_url(f"**/projects/{project.pk}/?since_version={project.codebook_version}#agreement-heading")

        assert (documents.text_content(), exact.text_content()) == ("1", "1.000")
        assert page.locator("#since-version option:checked").text_content() == (
            f"Only annotations under the current codebook (v{project.codebook_version}) or later"
        )
        assert page.locator("[data-testid='pair-map']").count() == 1
        page.select_option("#since-version", "")
        page.wait_for_url(f"**/projects/{project.pk}/?since_version=#agreement-heading")
        assert documents.text_content() == "2"


# Each row of the overview's suggestions table: its source and figures, and how far right its last cell ends.
SUGGESTION_ROWS = """() => [...document.querySelectorAll("[data-suggestion-source]")].map((row) => ({
    source: row.dataset.suggestionSource,
    figures: Object.fromEntries([...row.querySelectorAll("[data-field]")].map(
        (cell) => [cell.dataset.field, cell.textContent.trim()])),
    right: row.lastElementChild.getBoundingClientRect().right,
}))"""


class TestSuggestionTable:
    @pytest.fixture
    def suggested(self, setting):
        """Three suggestions on the first document, from a lexicon and from a model with a long name, and gold
        over the lexicon's first."""
        project, owner, document = setting.project, setting.owner, setting.documents[0]
        made = [
            suggest(owner, document, "Source attribution", "The envoy"),
            suggest(owner, document, "Editorial appeal", "spoke"),
            suggest(owner, document, "Source attribution", "envoy", source="http:a-team-model-fine-tuned-2026-12"),
        ]
        draw_gold(owner, document, "Source attribution", "The envoy")
        return project, document, made

    def test_decisions_made_in_the_browser_show_in_the_owners_table(self, page, browser, live_server, setting,
                                                                    suggested):  # fmt: skip
        project, document, (envoy, spoke, _) = suggested
        base = f"projects/{project.pk}/documents/{document.pk}/suggestions"
        open_as(page, setting.annotator, f"/projects/{project.pk}/", "body")
        before = {row["source"]: row["figures"] for row in page.evaluate(SUGGESTION_ROWS)}
        assert (before["lexicon:cues"]["open"], before["lexicon:cues"]["acceptance_rate"]) == ("2", "—")

        made = page.evaluate(
            """async ([accept, reject]) => {
                const {api} = await import("/static/annotator/api.js");
                const span = await api("POST", accept, {});
                await api("POST", reject, {});
                return span.origin;
            }""",
            [f"{base}/{envoy.pk}/accept/", f"{base}/{spoke.pk}/reject/"],
        )
        # The owner in a browser of their own.
        context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
        try:
            owners = context.new_page()
            open_as(owners, setting.owner, f"/projects/{project.pk}/", "body")
            rows = owners.evaluate(SUGGESTION_ROWS)
        finally:
            context.close()

        assert made == "lexicon:cues"
        assert [(row["source"], row["figures"]) for row in rows] == [
            ("http:a-team-model-fine-tuned-2026-12", {
                "suggested": "1", "documents": "1", "accepted": "0", "rejected": "0", "open": "1",
                "acceptance_rate": "—", "precision": "0.000", "recall": "0.000"}),
            ("lexicon:cues", {
                "suggested": "2", "documents": "1", "accepted": "1", "rejected": "1", "open": "0",
                "acceptance_rate": "50%", "precision": "0.500", "recall": "1.000"}),
        ]  # fmt: skip
        assert max(row["right"] for row in rows) <= 1280

    def test_a_project_without_suggestions_says_so(self, page, setting):
        open_as(page, setting.owner, f"/projects/{setting.project.pk}/", "body")

        section = page.locator("[data-testid='suggestion-stats']")
        assert section.locator("h2").inner_text() == "Suggestions"
        assert "No suggestions yet." in section.inner_text()
        assert section.locator("table").count() == 0


# The page's colours as Chromium computes them: the theme's accent, every link in the page's content (the tabs are
# muted on purpose), the page's first primary button and the Sign-out button.
COLOURS = """() => {
    const probe = document.createElement("span");
    probe.style.color = "var(--accent)";
    document.body.append(probe);
    const accent = getComputedStyle(probe).color;
    probe.remove();
    const look = (el) => {
        const style = getComputedStyle(el);
        return {color: style.color, background: style.backgroundColor, border: style.borderTopStyle};
    };
    return {
        accent,
        links: [...document.querySelectorAll("main a:not(.button, .project-nav a)")]
            .map((a) => [a.textContent.trim(), look(a).color]),
        signOut: look(document.querySelector(".signout button")),
        primary: look(document.querySelector("main a.button, main button")),
    };
}"""


class TestTheme:
    def test_links_take_the_themes_accent_colour(self, page, queue):
        project, _, annotator = queue
        open_as(page, annotator, f"/projects/{project.pk}/", "body")

        colours = page.evaluate(COLOURS)

        assert colours["links"], "the overview has links"
        assert [text for text, colour in colours["links"] if colour != colours["accent"]] == []

    def test_sign_out_is_a_quiet_button_beside_the_pages_own_action(self, page, queue):
        project, _, annotator = queue
        open_as(page, annotator, f"/projects/{project.pk}/", "body")

        colours = page.evaluate(COLOURS)

        assert colours["primary"]["background"] == colours["accent"]  # "Continue annotating"
        assert colours["signOut"]["background"] in ("rgba(0, 0, 0, 0)", "rgb(255, 255, 255)")
        assert colours["signOut"]["color"] not in ("rgb(255, 255, 255)", colours["accent"])
        assert colours["signOut"]["border"] == "solid"


class TestNewProject:
    def test_a_project_made_through_the_form_with_a_preset_is_owned_by_its_maker(self, page, transactional_db):
        researcher = UserFactory(username="researcher")
        sign_in(page, researcher, PASSWORD)
        page.goto("/")

        page.get_by_role("link", name="New project").click()
        page.wait_for_selector("body[data-ready='true']")
        page.get_by_label("Name", exact=True).fill("Strike coverage")
        page.get_by_label("Description").fill("How outlets framed the dock strike.")
        page.get_by_label("Blind", exact=False).uncheck()
        page.get_by_label("Annotators per document").fill("3")
        preset = page.locator("[data-preset='media-frames']")
        preset.get_by_role("radio").check()
        shown = preset.locator("[data-testid='preset-label']")
        assert shown.count() == len(PRESETS["media-frames"])
        assert shown.first.inner_text().strip() == PRESETS["media-frames"][0]["name"]
        assert shown.first.locator(".swatch rect").get_attribute("fill") == PRESETS["media-frames"][0]["color"]
        page.get_by_role("button", name="Create project").click()
        page.wait_for_url(re.compile(r"/projects/\d+/$"))

        project = Project.objects.get(name="Strike coverage")
        assert page.url.endswith(f"/projects/{project.pk}/")
        assert (project.description, project.blind, project.annotators_per_document) == (
            "How outlets framed the dock strike.",
            False,
            3,
        )
        assert list(project.labels.order_by("id").values_list("name", flat=True)) == [
            label["name"] for label in PRESETS["media-frames"]
        ]
        assert list(project.members.values_list("user__username", "role")) == [("researcher", "owner")]

    def test_a_refused_project_shows_why_beside_the_form_and_nothing_is_made(self, page, transactional_db):
        researcher = UserFactory(username="researcher")
        sign_in(page, researcher, PASSWORD)
        page.goto("/projects/new/")
        page.wait_for_selector("body[data-ready='true']")

        page.get_by_label("Annotators per document").fill("0")
        page.get_by_role("button", name="Create project").click()

        name_error = page.locator("[data-error-for='name']")
        name_error.wait_for()
        assert "blank" in name_error.inner_text()
        assert "greater than or equal to 1" in page.locator("[data-error-for='annotators_per_document']").inner_text()
        assert page.get_by_label("Name", exact=True).get_attribute("aria-invalid") == "true"
        assert page.url.endswith("/projects/new/")
        assert not Project.objects.exists()


@pytest.fixture
def annotated(setting):
    """The setting's first document has a span of the annotator's in it."""
    document = setting.documents[0]
    draw(setting.annotator, document, "Source attribution", "envoy")
    return setting


def open_documents(page, user, project):
    open_as(page, user, f"/projects/{project.pk}/documents/")


class TestDocumentEditing:
    def test_an_owner_edits_a_documents_fields_and_text(self, page, setting):
        project, document = setting.project, setting.documents[1]
        open_documents(page, setting.owner, project)
        row = page.locator(f"[data-document-id='{document.pk}']")

        row.get_by_role("button", name="Edit").click()
        editor = page.locator("[data-testid='document-editor']")
        editor.wait_for()
        assert editor.get_by_label("Text").input_value() == "Talks would resume."
        editor.get_by_label("Title").fill("Talks to resume on Monday")
        editor.get_by_label("Source").fill("Wire Three")
        editor.get_by_label("Address (URL)").fill("https://example.org/talks")
        editor.get_by_label("Text").fill("Talks would resume on Monday.")
        editor.get_by_role("button", name="Save").click()
        editor.wait_for(state="hidden")

        assert row.locator("a").first.inner_text() == "Talks to resume on Monday"
        assert "Saved" in page.locator("[data-testid='documents-status']").inner_text()
        document.refresh_from_db()
        assert (document.title, document.source, document.url, document.text) == (
            "Talks to resume on Monday",
            "Wire Three",
            "https://example.org/talks",
            "Talks would resume on Monday.",
        )
        assert document.text_hash == text_hash("Talks would resume on Monday.")

    def test_the_text_of_a_document_with_spans_is_read_only_and_says_why(self, page, annotated):
        project, document = annotated.project, annotated.documents[0]
        open_documents(page, annotated.owner, project)

        page.locator(f"[data-document-id='{document.pk}']").get_by_role("button", name="Edit").click()
        editor = page.locator("[data-testid='document-editor']")
        editor.wait_for()
        text = editor.get_by_label("Text")

        assert text.get_attribute("readonly") is not None
        assert "spans point into it" in editor.locator("[data-testid='text-frozen']").inner_text()
        editor.get_by_label("Title").fill("Envoy speaks again")
        editor.get_by_role("button", name="Save").click()
        editor.wait_for(state="hidden")
        document.refresh_from_db()
        assert (document.title, document.text) == ("Envoy speaks again", "The envoy spoke.")

    def test_a_span_drawn_after_the_page_loaded_freezes_the_text_when_it_is_saved(self, page, setting):
        project, document = setting.project, setting.documents[0]
        open_documents(page, setting.owner, project)
        page.locator(f"[data-document-id='{document.pk}']").get_by_role("button", name="Edit").click()
        editor = page.locator("[data-testid='document-editor']")
        editor.wait_for()
        draw(setting.annotator, document, "Source attribution", "envoy")

        editor.get_by_label("Title").fill("Envoy speaks at last")
        editor.get_by_label("Text").fill("The envoy spoke at last.")
        editor.get_by_role("button", name="Save").click()
        editor.locator("[data-testid='text-frozen']").wait_for()

        assert editor.get_by_label("Text").input_value() == "The envoy spoke."
        assert editor.get_by_label("Text").get_attribute("readonly") is not None
        editor.get_by_role("button", name="Save").click()
        editor.wait_for(state="hidden")
        document.refresh_from_db()
        assert (document.title, document.text) == ("Envoy speaks at last", "The envoy spoke.")

    def test_deleting_asks_first_and_a_cancel_keeps_the_document(self, page, annotated):
        project, document = annotated.project, annotated.documents[0]
        open_documents(page, annotated.owner, project)
        row = page.locator(f"[data-document-id='{document.pk}']")

        row.get_by_role("button", name="Delete").click()
        confirm = page.locator("[data-testid='delete-confirm']")
        confirm.wait_for()
        assert "Envoy speaks" in confirm.inner_text()
        assert "1 span" in confirm.inner_text()
        confirm.get_by_role("button", name="Cancel").click()
        confirm.wait_for(state="hidden")
        assert Document.objects.filter(pk=document.pk).exists()

        row.get_by_role("button", name="Delete").click()
        confirm.get_by_role("button", name="Delete document").click()
        row.wait_for(state="detached")

        assert not Document.objects.filter(pk=document.pk).exists()
        assert page.locator("[data-document-id]").count() == 2
        assert page.locator("[data-testid='count']").inner_text().startswith("2 documents")

    def test_members_who_are_not_owners_see_no_edit_or_delete(self, page, setting):
        sign_in(page, setting.annotator, PASSWORD)
        page.goto(f"/projects/{setting.project.pk}/documents/")
        page.wait_for_selector("[data-document-id]")

        assert page.locator("[data-document-id]").count() == 3
        assert page.get_by_role("button", name="Edit").count() == 0
        assert page.get_by_role("button", name="Delete").count() == 0
