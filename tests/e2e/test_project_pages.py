import pytest

from annotator.models import Label, Role
from annotator.services.documents import document_create_many
from annotator.services.members import member_add
from tests.arrange import draw, member_of, submit
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
