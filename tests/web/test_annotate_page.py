"""The annotate page's embedded data and sidebar for relations (issue 14): the relation types, and the document's
relations the member may see; and for questions (issue 15): the active questions and the caller's own answers; all
in a fixed number of queries; and for the codebook (issue 17): its version, and what changed in the guidelines since
the member last read them."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from annotator.services.codebook import guidelines_read
from annotator.services.labels import label_update
from annotator.services.projects import project_update
from annotator.services.questions import question_update
from annotator.services.relation_types import relation_type_update
from annotator.services.suggestions import suggestion_accept, suggestion_create_many, suggestion_reject
from tests.arrange import answer, draw, make_question, make_relation_type, member_of, phrase, relate, suggest
from tests.web.arrange import signed_in
from tests.web.html import find, find_all, text, tree
from tests.web.html import page_data as embedded


def annotate_path(project, document):
    return f"/projects/{project.pk}/documents/{document.pk}/"


def page_data(response):
    """The JSON the page embeds for its script (json_script `annotate-data`)."""
    return embedded(response, "annotate-data")


@pytest.fixture
def says(owner, project):
    return make_relation_type(owner, project, "Says", key="q", from_labels=["Source attribution"])


def related(user, document, relation_type, first="Ілля Коваль", second="talks would resume"):
    """`user`'s relation of `relation_type` between two spans of theirs drawn now."""
    source = draw(user, document, "Source attribution", first)
    claim = draw(user, document, "Diplomatic claim", second)
    return relate(user, relation_type, source, claim)


class TestRelationsOnTheAnnotatePage:
    def test_an_annotator_in_a_blind_project_gets_only_their_own_relations(
        self, client, project, annotator, annotator2, document, says
    ):
        mine = related(annotator, document, says)
        related(annotator2, document, says)

        data = page_data(signed_in(client, annotator).get(annotate_path(project, document)))

        assert [relation["id"] for relation in data["relations"]] == [mine.pk]
        assert data["relations"][0]["from_span"] == mine.from_span_id
        assert data["relations"][0]["type"] == says.pk

    def test_an_owner_gets_every_annotators_relations(
        self, client, project, owner, annotator, annotator2, document, says
    ):
        first = related(annotator, document, says)
        second = related(annotator2, document, says)

        data = page_data(signed_in(client, owner).get(annotate_path(project, document)))

        assert [relation["id"] for relation in data["relations"]] == [first.pk, second.pk]

    def test_a_retired_type_still_names_its_relations_but_the_sidebar_offers_only_active_ones(
        self, client, project, owner, annotator, document, says
    ):
        retired = make_relation_type(owner, project, "Retired", key="w")
        relation_type_update(member=member_of(owner, project), relation_type=retired, active=False)

        response = signed_in(client, annotator).get(annotate_path(project, document))
        data = page_data(response)
        buttons = list(find_all(tree(response), "data-relation-type-id"))

        assert [(kind["name"], kind["active"]) for kind in data["relation_types"]] == [
            ("Says", True),
            ("Retired", False),
        ]
        assert [text(button) for button in buttons] == ["q Says Source attribution → any"]

    def test_spans_and_relations_come_without_the_fields_the_page_never_reads(
        self, client, project, annotator, document, says
    ):
        relation = related(annotator, document, says)

        data = page_data(signed_in(client, annotator).get(annotate_path(project, document)))

        assert data["relations"] == [
            {
                "id": relation.pk,
                "type": says.pk,
                "from_span": relation.from_span_id,
                "to_span": relation.to_span_id,
                "note": "",
                "annotator": annotator.username,
                "review_status": "pending",
                "version": 1,
            }
        ]
        source = next(span for span in data["spans"] if span["id"] == relation.from_span_id)
        assert source == {
            "id": relation.from_span_id,
            "label": relation.from_span.label_id,
            "start": relation.from_span.start,
            "end": relation.from_span.end,
            "note": "",
            "annotator": annotator.username,
            "review_status": "pending",
            "review_comment": "",
            "version": 1,
        }

    def test_a_project_without_relation_types_shows_no_relations_section(self, client, project, annotator, document):
        root = tree(signed_in(client, annotator).get(annotate_path(project, document)))

        assert list(find_all(root, "id", "show-relations")) == []

    # session, user, member and document, heading, queue, codebook versions (the current and the member's last
    # read), relation types, their ends, labels, spans, relations, questions, answers, open suggestions
    QUERIES = 14

    def test_the_page_costs_the_same_queries_for_few_and_many_spans_relations_and_types(
        self, client, project, owner, annotator, document, says, django_assert_max_num_queries
    ):
        signed_in(client, annotator)
        with CaptureQueriesContext(connection) as few, django_assert_max_num_queries(self.QUERIES):
            assert client.get(annotate_path(project, document)).status_code == 200
        source = draw(annotator, document, "Source attribution", "Ілля Коваль")
        claims = [draw(annotator, document, "Diplomatic claim", words) for words in ("talks would", "he said")]
        for i in range(5):
            kind = make_relation_type(owner, project, f"Kind {i}", to_labels=["Diplomatic claim"])
            for claim in claims:
                relate(annotator, kind, source, claim)
            answer(annotator, document, make_question(owner, project, f"Question {i}"), "pro")
        with CaptureQueriesContext(connection) as many, django_assert_max_num_queries(self.QUERIES):
            assert client.get(annotate_path(project, document)).status_code == 200

        assert len(many) == len(few)


class TestQuestionsOnTheAnnotatePage:
    def test_the_page_embeds_the_active_questions_and_only_the_callers_answers(
        self, client, project, owner, annotator, annotator2, document
    ):
        tone = make_question(owner, project, "Tone", required=True, key="w")
        retired = make_question(owner, project, "Retired", kind="scale", min=1, max=5)
        mine = answer(annotator, document, tone, "anti")
        answer(annotator2, document, tone, "pro")
        question_update(member=member_of(owner, project), question=retired, active=False)

        data = page_data(signed_in(client, annotator).get(annotate_path(project, document)))

        assert [(question["name"], question["required"], question["key"]) for question in data["questions"]] == [
            ("Tone", True, "w")
        ]
        assert data["questions"][0]["options"] == ["pro", "neutral", "anti"]
        assert [(row["id"], row["value"], row["annotator"]) for row in data["answers"]] == [
            (mine.pk, "anti", "annotator")
        ]

    def test_an_owner_who_may_read_every_answer_is_given_only_their_own_to_change(
        self, client, project, owner, annotator, document
    ):
        tone = make_question(owner, project)
        answer(annotator, document, tone, "pro")

        data = page_data(signed_in(client, owner).get(annotate_path(project, document)))

        assert data["answers"] == []

    def test_a_project_with_questions_has_their_section_and_one_without_has_none(
        self, client, project, owner, annotator, document
    ):
        page = signed_in(client, annotator)
        assert list(find_all(tree(page.get(annotate_path(project, document))), "id", "questions")) == []

        make_question(owner, project)

        assert len(list(find_all(tree(page.get(annotate_path(project, document))), "id", "questions"))) == 1


class TestSuggestionsOnTheAnnotatePage:
    def test_the_page_embeds_only_the_callers_open_suggestions_without_their_text(
        self, client, project, owner, annotator, annotator2, document
    ):
        accepted = suggest(owner, document, "Source attribution", "Ілля Коваль", score=0.9)
        rejected = suggest(owner, document, "Diplomatic claim", "talks would resume", score=None)
        open_one = suggest(owner, document, "Source attribution", "told reporters", source="memory:team", score=0.25)
        suggestion_accept(member=member_of(annotator, project), suggestion=accepted)
        suggestion_reject(member=member_of(annotator, project), suggestion=rejected)
        suggestion_reject(member=member_of(annotator2, project), suggestion=open_one)  # another user's decision

        data = page_data(signed_in(client, annotator).get(annotate_path(project, document)))

        start, end = phrase("told reporters")
        assert data["suggestions"] == [
            {
                "id": open_one.pk,
                "label": open_one.label_id,
                "start": start,
                "end": end,
                "score": 0.25,
                "source": "memory:team",
            }
        ]

    def test_the_suggestions_section_shows_only_when_some_are_open(self, client, project, owner, annotator, document):
        page = signed_in(client, annotator)
        assert list(find_all(tree(page.get(annotate_path(project, document))), "data-testid", "suggestions")) == []

        suggest(owner, document, "Source attribution", "Ілля Коваль")

        root = tree(page.get(annotate_path(project, document)))
        assert len(list(find_all(root, "data-testid", "suggestions"))) == 1
        assert len(list(find_all(root, "id", "accept-above"))) == 1

    def test_the_page_costs_the_same_queries_for_one_suggestion_and_for_500(
        self, client, project, owner, annotator, document, django_assert_max_num_queries
    ):
        suggest(owner, document, "Source attribution", "Ілля Коваль")
        signed_in(client, annotator)
        with CaptureQueriesContext(connection) as few:
            assert client.get(annotate_path(project, document)).status_code == 200
        labels = list(project.labels.values_list("id", flat=True))
        items = [
            {"label": labels[i % len(labels)], "start": i % 40, "end": i % 40 + 5, "score": i / 500, "source": f"m:{i}"}
            for i in range(500)
        ]
        suggestion_create_many(member=member_of(owner, project), document=document, items=items)
        with (
            CaptureQueriesContext(connection) as many,
            django_assert_max_num_queries(TestRelationsOnTheAnnotatePage.QUERIES),
        ):
            response = client.get(annotate_path(project, document))

        assert len(page_data(response)["suggestions"]) == 501
        assert len(many) == len(few)


def edit_guidelines(owner, project, guidelines):
    project_update(member=member_of(owner, project), guidelines=guidelines)


class TestCodebookOnTheAnnotatePage:
    def test_the_page_names_the_codebook_version_it_works_under(self, client, project, owner, annotator, document):
        edit_guidelines(owner, project, "Mark every quote.")

        response = signed_in(client, annotator).get(annotate_path(project, document))

        assert text(find(tree(response), "data-testid", "codebook-version")) == "Codebook v2"
        assert page_data(response)["codebook"] == {"version": 2, "read": None, "changed": False}

    def test_a_newcomer_is_asked_to_read_the_guidelines_not_shown_a_diff(
        self, client, project, owner, annotator, document
    ):
        edit_guidelines(owner, project, "Mark every quote.")

        root = tree(signed_in(client, annotator).get(annotate_path(project, document)))

        assert "Read the guidelines (v2)" in text(find(root, "data-testid", "guidelines-nudge"))
        assert list(find_all(root, "data-testid", "guidelines-changed")) == []

    def test_without_guidelines_there_is_nothing_to_read(self, client, project, annotator, document):
        root = tree(signed_in(client, annotator).get(annotate_path(project, document)))

        assert list(find_all(root, "data-testid", "guidelines-nudge")) == []
        assert list(find_all(root, "data-testid", "guidelines-changed")) == []

    def test_a_member_behind_sees_what_changed_with_the_guidelines_as_text(
        self, client, project, owner, annotator, document, label
    ):
        edit_guidelines(owner, project, "Mark every quote.\nSkip headlines.")
        guidelines_read(member=member_of(annotator, project), number=2)
        label_update(member=member_of(owner, project), label=label, name="Attribution")
        edit_guidelines(owner, project, "Mark every quote.\n<script>alert(1)</script> counts as text.")

        response = signed_in(client, annotator).get(annotate_path(project, document))

        root = tree(response)
        banner = find(root, "data-testid", "guidelines-changed")
        assert "The guidelines changed since you last read them (v2 → v4)" in text(banner)
        assert [text(item) for item in find(banner, "data-testid", "codebook-changes").children] == [
            "guidelines edited",
            'label "Source attribution" renamed to "Attribution"',
        ]
        diff = find(banner, "data-testid", "guidelines-diff")
        rows = [(child.name, text(child)) for child in diff.children]
        assert rows == [
            ("span", "Mark every quote."),
            ("del", "− Removed: Skip headlines."),
            ("ins", "+ Added: <script>alert(1)</script> counts as text."),
        ]
        assert "<script>alert(1)" not in response.content.decode()
        assert page_data(response)["codebook"] == {"version": 4, "read": 2, "changed": True}

    def test_a_change_of_labels_alone_raises_no_banner(self, client, project, owner, annotator, document, label):
        edit_guidelines(owner, project, "Mark every quote.")
        guidelines_read(member=member_of(annotator, project), number=2)
        label_update(member=member_of(owner, project), label=label, name="Attribution")

        root = tree(signed_in(client, annotator).get(annotate_path(project, document)))

        assert text(find(root, "data-testid", "codebook-version")) == "Codebook v3"
        assert list(find_all(root, "data-testid", "guidelines-changed")) == []
        assert list(find_all(root, "data-testid", "guidelines-nudge")) == []

    def test_the_page_costs_the_same_queries_for_two_versions_and_for_forty(
        self, client, project, owner, annotator, document, django_assert_max_num_queries
    ):
        edit_guidelines(owner, project, "Version 2.")
        guidelines_read(member=member_of(annotator, project), number=1)
        signed_in(client, annotator)
        with CaptureQueriesContext(connection) as few:
            assert client.get(annotate_path(project, document)).status_code == 200
        for number in range(3, 41):
            edit_guidelines(owner, project, f"Version {number}.\nOne more line.")
        with (
            CaptureQueriesContext(connection) as many,
            django_assert_max_num_queries(TestRelationsOnTheAnnotatePage.QUERIES),
        ):
            response = client.get(annotate_path(project, document))

        assert page_data(response)["codebook"] == {"version": 40, "read": 1, "changed": True}
        assert len(many) == len(few)
