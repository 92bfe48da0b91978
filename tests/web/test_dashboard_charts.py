"""The overview's charts: the agreement table, pair heat map and label bars for reviewers, the framing profile and
the answers per outlet for everyone; the numbers are the API's."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from annotator.access import access_project
from annotator.services.projects import project_update
from tests.arrange import answer, draw, make_question, make_relation_type, relate, submit
from tests.conftest import url
from tests.web.arrange import HOSTILE, add_documents, signed_in
from tests.web.html import attribute, find, find_all, text, tree


@pytest.fixture
def compared(project, owner, annotator, annotator2):
    """Two documents both annotators submitted: they agree on one span and disagree on another."""
    first, second = add_documents(owner, project, 2)
    for user in (annotator, annotator2):
        draw(user, first, "Source attribution")
        submit(user, first)
    draw(annotator, second, "Denial", "talks would resume")
    submit(annotator, second)
    submit(annotator2, second)
    return project


class TestAgreementSection:
    def test_the_table_shows_the_figures_the_api_gives(self, client, client_for, reviewer, compared):
        figures = client_for(reviewer).get(url(compared, "agreement")).json()

        page = tree(signed_in(client, reviewer).get(f"/projects/{compared.pk}/"))

        overall = find(find(page, "data-testid", "agreement-table"), "data-row", "overall")
        for field in ("span_f1_exact", "span_f1_overlap", "cohen_kappa", "krippendorff_alpha", "gamma"):
            assert text(find(overall, "data-field", field)) == f"{figures['overall'][field]:.3f}"
        assert figures["overall"]["gamma"] is not None
        assert list(find_all(page, "data-testid", "gamma-pending")) == []

    def test_gamma_still_due_is_said_and_shown_as_a_dash(self, client, settings, reviewer, compared):
        settings.SLANT_GAMMA_REQUEST_DOCUMENTS = 0  # none computed in the request: every compared document waits

        page = tree(signed_in(client, reviewer).get(f"/projects/{compared.pk}/"))

        overall = find(find(page, "data-testid", "agreement-table"), "data-row", "overall")
        assert text(find(overall, "data-field", "gamma")) == "—"
        pending = text(find(page, "data-testid", "gamma-pending"))
        assert pending.startswith("γ is still being computed for 2 documents (a background job")

    def test_the_pair_map_and_label_bars_are_drawn(self, client, reviewer, compared):
        page = tree(signed_in(client, reviewer).get(f"/projects/{compared.pk}/"))

        pair_map = find(page, "data-testid", "pair-map")
        cells = {(attribute(c, "data-row"), attribute(c, "data-column")) for c in find_all(pair_map, "data-row")}
        assert ("annotator", "annotator2") in cells and ("annotator2", "annotator") in cells
        bars = [attribute(bar, "data-row") for bar in find_all(find(page, "data-testid", "label-alpha"), "data-row")]
        assert bars == ["Source attribution", "Denial"]

    def test_relation_figures_sit_beside_the_span_figures(self, client, client_for, owner, reviewer, project):
        [document] = add_documents(owner, project, 1)
        says = make_relation_type(owner, project, "Says")
        for user in ("annotator", "annotator2"):
            member = project.members.get(user__username=user).user
            source = draw(member, document, "Source attribution")
            relate(member, says, source, draw(member, document, "Denial", "talks would resume"))
            submit(member, document)
        figures = client_for(reviewer).get(url(project, "agreement")).json()["relations"]

        page = tree(signed_in(client, reviewer).get(f"/projects/{project.pk}/"))

        table = find(page, "data-testid", "relation-agreement")
        says_row = find(table, "data-row", "Says")
        assert text(find(says_row, "data-field", "f1_exact")) == f"{figures['types'][0]['f1_exact']:.3f}" == "1.000"
        assert text(find(find(table, "data-row", "annotator · annotator2"), "data-field", "f1_overlap")) == "1.000"

    def test_without_relations_there_is_no_relation_table(self, client, reviewer, compared):
        page = tree(signed_in(client, reviewer).get(f"/projects/{compared.pk}/"))

        assert list(find_all(page, "data-testid", "relation-agreement")) == []

    def test_annotators_do_not_get_the_agreement_section(self, client, annotator, compared):
        page = tree(signed_in(client, annotator).get(f"/projects/{compared.pk}/"))

        assert list(find_all(page, "data-testid", "agreement")) == []


def clarify(owner, project, guidelines="Mark the cue with its source."):
    """The owner clarifies the guidelines: the codebook's next version, whose number is returned."""
    project_update(member=access_project(owner, project.pk), guidelines=guidelines)
    project.refresh_from_db()
    return project.codebook_version


@pytest.fixture
def clarified(compared, owner, annotator, annotator2):
    """`compared` (worked under v1), then a guideline clarified (v2) and a third document both annotators
    submitted under v2, agreeing; returns v2."""
    v2 = clarify(owner, compared)
    [third] = add_documents(owner, compared, 1, offset=2)
    for user in (annotator, annotator2):
        draw(user, third, "Denial", "talks would resume")
        submit(user, third)
    return v2


def overview(client, user, project, **params):
    return tree(signed_in(client, user).get(f"/projects/{project.pk}/", params))


class TestAgreementSinceVersion:
    def test_the_figures_are_the_apis_for_the_version_chosen(self, client, client_for, reviewer, compared, clarified):
        figures = client_for(reviewer).get(url(compared, "agreement"), {"since_version": clarified}).json()

        page = overview(client, reviewer, compared, since_version=clarified)

        assert text(find(page, "data-testid", "agreement-documents")) == "1" == str(figures["documents"])
        overall = find(find(page, "data-testid", "agreement-table"), "data-row", "overall")
        for field in ("span_f1_exact", "span_f1_overlap", "cohen_kappa", "krippendorff_alpha", "gamma"):
            assert text(find(overall, "data-field", field)) == f"{figures['overall'][field]:.3f}"
        assert figures["overall"]["gamma"] is not None
        assert list(find_all(page, "data-testid", "gamma-pending")) == []
        [chosen] = find_all(find(page, "data-testid", "since-form"), "selected")
        assert attribute(chosen, "value") == str(clarified)
        assert text(chosen) == f"Only annotations under the current codebook (v{clarified}) or later"
        json_link = attribute(find(page, "data-testid", "agreement-json"), "href")
        assert json_link == url(compared, "agreement") + f"?since_version={clarified}"

    def test_without_a_version_every_document_is_compared_and_every_version_offered(
        self, client, reviewer, compared, clarified
    ):
        page = overview(client, reviewer, compared)

        assert text(find(page, "data-testid", "agreement-documents")) == "3"
        options = list(find_all(find(page, "data-testid", "since-form"), "value"))
        assert [attribute(option, "value") for option in options] == ["", *map(str, range(clarified, 1, -1))]
        assert list(find_all(find(page, "data-testid", "since-form"), "selected")) == []

    @pytest.mark.parametrize("value", ["0", "-2", "two", "٣", "99", "9" * 5000])
    def test_a_version_that_is_no_version_of_the_codebook_shows_every_document(
        self, client, reviewer, compared, clarified, value
    ):
        page = overview(client, reviewer, compared, since_version=value)

        assert text(find(page, "data-testid", "agreement-documents")) == "3"

    def test_when_no_document_remains_the_page_says_so_and_keeps_the_choice(
        self, client, owner, reviewer, compared, clarified
    ):
        v3 = clarify(owner, compared, "Mark the cue and its source as one span.")

        page = overview(client, reviewer, compared, since_version=v3)

        assert text(find(page, "data-testid", "agreement-documents")) == "0"
        assert "No compared document has only work under v" in text(find(page, "data-testid", "since-empty"))
        assert list(find_all(page, "data-testid", "agreement-table")) == []
        assert attribute(find(find(page, "data-testid", "since-form"), "selected"), "value") == str(v3)

    def test_a_codebook_still_at_version_1_offers_no_choice(self, client, reviewer, compared):
        assert compared.codebook_version == 1

        page = overview(client, reviewer, compared, since_version=1)

        assert list(find_all(page, "data-testid", "since-form")) == []
        assert text(find(page, "data-testid", "agreement-documents")) == "2"

    def test_the_choice_costs_no_query_more_however_many_documents(
        self, client, owner, reviewer, annotator, annotator2, compared, clarified
    ):
        signed_in(client, reviewer)
        path, since = f"/projects/{compared.pk}/", {"since_version": clarified}
        client.get(path, since)
        with CaptureQueriesContext(connection) as every:
            client.get(path)
        with CaptureQueriesContext(connection) as few:
            client.get(path, since)
        for document in add_documents(owner, compared, 30, offset=3):
            for user in (annotator, annotator2):
                draw(user, document, "Denial", "talks would resume")
                submit(user, document)
        with CaptureQueriesContext(connection) as many:
            response = client.get(path, since)

        assert text(find(tree(response), "data-testid", "agreement-documents")) == "31"
        # without a version the figures are looked for in the cache first, and the documents counted
        assert len(few) == len(many) == len(every) - 2


class TestFramingProfile:
    def test_each_outlet_row_carries_its_spans_per_thousand_characters(self, client, client_for, owner, compared):
        stats = client_for(owner).get(url(compared, "stats")).json()
        expected = {row["source"]: row["labels_per_1000_characters"] for row in stats["sources"]}

        chart = find(tree(signed_in(client, owner).get(f"/projects/{compared.pk}/")), "data-testid", "profile-chart")

        shown = {}
        for cell in find_all(chart, "data-column"):
            shown.setdefault(attribute(cell, "data-row"), {})[attribute(cell, "data-column")] = text(
                find(cell, "data-value")
            )
        for source, rates in expected.items():
            for label, rate in rates.items():
                assert shown[source][label] == f"{rate:.2f}"


@pytest.fixture
def answered(project, owner, annotator, annotator2):
    """Tone on four documents, Wire One's two and Daily Two's two, submitted by both annotators: they agree on pro,
    anti and neutral and differ (pro, anti) on Daily Two's first. A scale nobody answered."""
    tone = make_question(owner, project)
    make_question(owner, project, "Slant", "scale", min=1, max=5)
    documents = add_documents(owner, project, 4)  # Wire One, Daily Two, Wire One, Daily Two
    for document, values in zip(
        documents, [("pro", "pro"), ("pro", "anti"), ("anti", "anti"), ("neutral", "neutral")], strict=True
    ):
        for user, value in zip((annotator, annotator2), values, strict=True):
            answer(user, document, tone, value)
            submit(user, document)
    return tone


def chart_of(page, question):
    return find(find(page, "data-question-id", question.pk), "data-testid", "question-chart")


def shares(chart, row):
    """{value: (count, share text or None)} of one stacked bar."""
    return {
        attribute(segment, "data-value"): (int(attribute(segment, "data-count")), text(segment))
        for segment in find_all(find(chart, "data-row", row), "data-value")
    }


class TestQuestionAgreement:
    def test_each_question_shows_the_figures_the_api_gives(self, client, client_for, reviewer, project, answered):
        figures = client_for(reviewer).get(url(project, "agreement")).json()["questions"]

        table = find(
            tree(signed_in(client, reviewer).get(f"/projects/{project.pk}/")), "data-testid", "question-agreement"
        )

        tone = find(table, "data-row", "Tone")
        assert text(find(tone, "data-field", "documents")) == "4"
        assert text(find(tone, "data-field", "percent_agreement")) == "75%"
        for field in ("cohen_kappa", "krippendorff_alpha"):
            assert text(find(tone, "data-field", field)) == f"{figures[0][field]:.3f}"
        slant = find(table, "data-row", "Slant")
        assert [text(find(slant, "data-field", field)) for field in ("documents", "percent_agreement")] == ["0", "—"]

    def test_without_questions_there_is_no_question_table(self, client, reviewer, compared):
        page = tree(signed_in(client, reviewer).get(f"/projects/{compared.pk}/"))

        assert list(find_all(page, "data-testid", "question-agreement")) == []


class TestAnswersPerOutlet:
    def test_each_outlet_gets_a_bar_of_its_answers_shares(self, client, owner, project, answered):
        chart = chart_of(tree(signed_in(client, owner).get(f"/projects/{project.pk}/")), answered)

        assert [attribute(row, "data-row") for row in find_all(chart, "data-row")] == [
            "All outlets",
            "Daily Two",
            "Wire One",
        ]
        # Each segment's tooltip names its row, value, count and share, and a wide one shows the share itself.
        assert shares(chart, "All outlets") == {
            "pro": (3, "All outlets · pro: 3 (38%) 38%"),
            "neutral": (2, "All outlets · neutral: 2 (25%) 25%"),
            "anti": (3, "All outlets · anti: 3 (38%) 38%"),
        }
        assert {value: count for value, (count, _) in shares(chart, "Daily Two").items()} == {
            "pro": 1,
            "neutral": 2,
            "anti": 1,
        }
        assert {value: count for value, (count, _) in shares(chart, "Wire One").items()} == {"pro": 2, "anti": 2}
        assert text(find(find(chart, "data-row", "Wire One"), "data-total")) == "4"

    def test_the_counts_table_gives_every_value_as_text(self, client, owner, project, answered):
        page = tree(signed_in(client, owner).get(f"/projects/{project.pk}/"))
        counts = find(find(page, "data-question-id", answered.pk), "data-testid", "question-chart-counts")

        wire = find(counts, "data-row", "Wire One")
        assert text(find(wire, "data-field", "answers")) == "4"
        assert [text(cell) for cell in find_all(wire, "data-value")] == ["2 (50%)", "0 (0%)", "2 (50%)"]

    def test_the_bars_count_what_the_stats_count(self, client, client_for, owner, project, answered):
        [tone, _] = client_for(owner).get(url(project, "stats")).json()["questions"]

        chart = chart_of(tree(signed_in(client, owner).get(f"/projects/{project.pk}/")), answered)

        for row in tone["sources"]:
            drawn = {value: count for value, (count, _) in shares(chart, row["source"]).items()}
            assert drawn == {value["value"]: value["answers"] for value in row["values"] if value["answers"]}

    def test_a_question_nobody_answered_gets_no_chart(self, client, owner, project, answered):
        page = tree(signed_in(client, owner).get(f"/projects/{project.pk}/"))

        assert [attribute(figure, "data-question-id") for figure in find_all(page, "data-question-id")] == [
            str(answered.pk)
        ]

    def test_an_annotator_of_a_blind_project_sees_only_their_own_answers(self, client, project, annotator, answered):
        project.blind = True
        project.save()

        chart = chart_of(tree(signed_in(client, annotator).get(f"/projects/{project.pk}/")), answered)

        assert text(find(find(chart, "data-row", "All outlets"), "data-total")) == "4"

    def test_option_names_are_text_not_markup(self, client, owner, annotator, project):
        hostile = make_question(owner, project, "Hostile", options=[HOSTILE, "plain"])
        [document] = add_documents(owner, project, 1)
        answer(annotator, document, hostile, HOSTILE)

        body = signed_in(client, owner).get(f"/projects/{project.pk}/").content.decode()

        assert HOSTILE not in body
        assert "&lt;img src=x onerror=alert(1)&gt;" in body


class TestQueryCount:
    def test_a_reviewer_pays_the_same_queries_for_4_and_40_answered_documents(
        self, client, project, owner, reviewer, annotator, annotator2, answered
    ):
        signed_in(client, reviewer)
        path = f"/projects/{project.pk}/"
        client.get(path)
        with CaptureQueriesContext(connection) as few:
            client.get(path)
        for document in add_documents(owner, project, 36, offset=4):
            for user in (annotator, annotator2):
                answer(user, document, answered, "pro")
                submit(user, document)

        with CaptureQueriesContext(connection) as many:
            response = client.get(path)

        table = find(tree(response), "data-testid", "question-agreement")
        assert text(find(find(table, "data-row", "Tone"), "data-field", "documents")) == "40"
        assert len(many) == len(few)
