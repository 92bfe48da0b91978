"""GET /projects/{p}/agreement/?since_version=n: the figures over the documents whose compared annotators all
worked under codebook version n or later (issue 17), so a team can measure what a clarified guideline changed."""

from unittest.mock import ANY

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from annotator.access import access_project
from annotator.models import Answer, Document, Span
from annotator.selectors.agreement import project_agreement
from annotator.services.answers import answer_update
from annotator.services.documents import document_create_many
from annotator.services.projects import project_update
from annotator.services.spans import span_update
from tests.api.test_agreement import TEXT, grow
from tests.arrange import answer, draw, make_question, make_relation_type, member_of, relate, submit
from tests.conftest import url

KINDS = ("before", "mixed", "empty_before", "edited", "after", "empty_after")


def agreement(client, project, **params):
    response = client.get(url(project, "agreement"), params)
    assert response.status_code == 200, response.content
    return response.json()


def clarify(owner, project, guidelines="Mark a source only together with its cue."):
    """The owner clarifies the guidelines: the codebook's next version, whose number is returned."""
    project_update(member=member_of(owner, project), guidelines=guidelines)
    project.refresh_from_db()
    return project.codebook_version


def work(user, document, says, tone, spans, value):
    """`user` draws `spans` ((label, text), …) on `document`, relates the first two, answers `tone` with `value`."""
    drawn = [draw(user, document, label, text) for label, text in spans]
    if len(drawn) >= 2:
        relate(user, says, drawn[0], drawn[1])
    if value is not None:
        answer(user, document, tone, value)
    return drawn


@pytest.fixture
def eras(project, owner, reviewer, annotator, annotator2):
    """Six copies of TEXT, each submitted by both annotators; a guideline clarified half way (codebook v1 to v2,
    counting from the version the questions and relation types left the project at):

    - before: both worked under v1 and disagree (spans, relations, tone);
    - mixed: annotator2 worked under v1, annotator only under v2;
    - empty_before: annotator submitted it with nothing on it under v1, annotator2 worked under v2;
    - edited: both drew under v1 and changed their spans (and answers) under v2;
    - after: both worked under v2 and agree; the reviewer, who never submits, drew on it under v1;
    - empty_after: annotator submitted it with nothing on it under v2, annotator2 worked under v2.
    """
    claim, appeal = (project.labels.get(name=name) for name in ("Source attribution", "Editorial appeal"))
    tone, says = make_question(owner, project), make_relation_type(owner, project, "Says")
    project.refresh_from_db()
    v1 = project.codebook_version
    documents = dict(
        zip(
            KINDS,
            document_create_many(
                member=access_project(owner, project.pk),
                items=[{"text": TEXT, "external_id": kind} for kind in KINDS],
            ),
            strict=True,
        )
    )
    before, mixed, empty_before, edited, after, empty_after = documents.values()
    work(annotator, before, says, tone, [(claim, "The envoy"), (appeal, "talks would resume")], "pro")
    work(annotator2, before, says, tone, [(claim, "envoy said"), (appeal, "would resume")], "anti")
    work(annotator2, mixed, says, tone, [(claim, "The envoy")], "pro")
    submit(annotator, empty_before)
    old_spans = [draw(user, edited, claim, "The envoy") for user in (annotator, annotator2)]
    old_answers = [answer(user, edited, tone, "neutral") for user in (annotator, annotator2)]
    draw(reviewer, after, claim, "talks")
    for document in (before, edited):
        for user in (annotator, annotator2):
            submit(user, document)
    submit(annotator2, mixed)

    v2 = clarify(owner, project)

    for user in (annotator, annotator2):
        work(user, after, says, tone, [(claim, "The envoy"), (appeal, "talks would resume")], "pro")
        submit(user, after)
    for user, span, old in zip((annotator, annotator2), old_spans, old_answers, strict=True):
        member = member_of(user, project)
        span_update(member=member, span=span, label=appeal.pk)
        answer_update(member=member, answer=old, value="anti")
    work(annotator, mixed, says, tone, [(claim, "The envoy")], "pro")
    submit(annotator, mixed)
    work(annotator2, empty_before, says, tone, [(claim, "The envoy")], None)
    submit(annotator2, empty_before)
    submit(annotator, empty_after)
    work(annotator2, empty_after, says, tone, [(claim, "said")], None)
    submit(annotator2, empty_after)
    return {"v1": v1, "v2": v2, **documents}


class TestSinceVersion:
    def test_only_documents_wholly_worked_under_the_version_or_later_are_compared(
        self, client_for, reviewer, project, eras
    ):
        every, since = (
            agreement(client_for(reviewer), project),
            agreement(client_for(reviewer), project, since_version=eras["v2"]),
        )

        assert every["documents"] == 6
        assert every["since_version"] is None
        # after, empty_after and edited remain. Exact span matches: after 2, empty_after 0 (annotator has none,
        # annotator2 one), edited 1 ("The envoy" relabelled by both): 2·3 / (3 + 4).
        assert since["documents"] == 3
        assert since["since_version"] == eras["v2"]
        assert since["overall"]["span_f1_exact"] == pytest.approx(6 / 7)
        assert since["pairs"][0]["documents"] == 3
        # One relation each, on after, the same; under v1 the two on before differed.
        assert since["relations"]["overall"] == {"f1_exact": 1.0, "f1_overlap": 1.0}
        assert every["relations"]["overall"]["f1_exact"] < 1.0
        # Tone: pro and pro on after, anti and anti on edited; before's pro against anti is left out.
        assert {key: since["questions"][0][key] for key in ("documents", "percent_agreement")} == {
            "documents": 2,
            "percent_agreement": 1.0,
        }
        assert every["questions"][0]["percent_agreement"] < 1.0
        assert since["overall"] != every["overall"]

    def test_the_figures_are_those_of_the_remaining_documents_alone(self, client_for, reviewer, project, eras):
        since = agreement(client_for(reviewer), project, since_version=eras["v2"])

        Document.objects.filter(pk__in=[eras[kind].pk for kind in ("before", "mixed", "empty_before")]).delete()
        alone = agreement(client_for(reviewer), project)

        assert {**since, "since_version": None, "computed_at": None} == {**alone, "computed_at": None}

    def test_a_document_one_annotator_reworked_and_the_other_not_is_left_out_until_both_have(
        self, client_for, reviewer, project, annotator2, eras
    ):
        mixed = eras["mixed"]
        assert agreement(client_for(reviewer), project, since_version=eras["v2"])["documents"] == 3

        member = member_of(annotator2, project)
        span_update(member=member, span=mixed.spans.get(annotator=annotator2), start=4)
        assert agreement(client_for(reviewer), project, since_version=eras["v2"])["documents"] == 3  # the answer
        answer_update(member=member, answer=mixed.answers.get(annotator=annotator2), value="neutral")

        assert agreement(client_for(reviewer), project, since_version=eras["v2"])["documents"] == 4

    def test_an_empty_submission_counts_only_when_made_after_the_version(self, client_for, reviewer, project, eras):
        Document.objects.exclude(pk__in=[eras["empty_before"].pk, eras["empty_after"].pk]).delete()
        assert agreement(client_for(reviewer), project)["documents"] == 2

        # annotator submitted empty_after with nothing on it under v2: compared, F1 0 against annotator2's span.
        figures = agreement(client_for(reviewer), project, since_version=eras["v2"])
        assert figures["documents"] == 1
        assert figures["overall"]["span_f1_exact"] == 0.0
        eras["empty_after"].delete()
        assert agreement(client_for(reviewer), project, since_version=eras["v2"])["documents"] == 0

    def test_a_version_nothing_was_made_under_yet_keeps_no_document(self, client_for, owner, reviewer, project, eras):
        v3 = clarify(owner, project, "Mark a source and its cue as one span.")

        figures = agreement(client_for(reviewer), project, since_version=v3)

        assert figures["documents"] == 0
        assert figures["pairs"] == []
        assert figures["overall"]["span_f1_exact"] is None
        assert figures["relations"]["pairs"] == []
        assert figures["questions"][0]["documents"] == 0

    def test_version_1_keeps_every_document(self, client_for, reviewer, project, eras):
        every = agreement(client_for(reviewer), project)

        assert {**agreement(client_for(reviewer), project, since_version=1), "since_version": None} == {
            **every,
            "computed_at": ANY,
        }

    def test_with_unsubmitted_work_every_compared_annotator_counts_also_those_who_did_not_submit(
        self, client_for, reviewer, project, eras
    ):
        figures = agreement(client_for(reviewer), project, since_version=eras["v2"], include_unsubmitted="true")

        # The reviewer's span under v1 on after makes them a compared annotator there, with old work.
        assert figures["documents"] == 2
        assert [(pair["a"], pair["b"]) for pair in figures["pairs"]] == [("annotator", "annotator2")]
        assert agreement(client_for(reviewer), project, include_unsubmitted="true")["documents"] == 6

    @pytest.mark.parametrize("value", ["0", "-1", "two", "1.5", "99999999999999999999999"])
    def test_a_version_that_is_no_version_is_a_400_naming_the_field(self, client_for, reviewer, project, value):
        response = client_for(reviewer).get(url(project, "agreement"), {"since_version": value})

        assert response.status_code == 400
        assert list(response.json()) == ["since_version"]

    def test_a_version_above_the_current_one_is_a_400_saying_which_is_current(self, client_for, reviewer, project):
        current = project.codebook_version

        response = client_for(reviewer).get(url(project, "agreement"), {"since_version": current + 1})

        assert response.status_code == 400
        assert response.json() == {
            "since_version": [f"The codebook is at version {current}; ask for {current} or less."]
        }
        assert client_for(reviewer).get(url(project, "agreement"), {"since_version": current}).status_code == 200

    def test_an_empty_value_is_no_restriction(self, client_for, reviewer, project, eras):
        assert agreement(client_for(reviewer), project, since_version="")["since_version"] is None

    def test_an_outsider_gets_404_and_an_annotator_403(self, client_for, project, outsider, annotator):
        params = {"since_version": 1}

        assert client_for(outsider).get(url(project, "agreement"), params).status_code == 404
        assert client_for(annotator).get(url(project, "agreement"), params).status_code == 403


def grow_under(version, project, owner, annotators, labels, n, offset, question):
    """test_agreement's grow, its spans and answers made under codebook `version` (bulk rows carry the default)."""
    documents = grow(project, owner, annotators, labels, n, offset, question)
    for model in (Span, Answer):
        model.objects.filter(document__in=documents).update(codebook_version=version)
    return documents


class TestSinceVersionQueries:
    def test_forty_documents_cost_the_queries_two_cost(
        self, client_for, owner, reviewer, annotator, annotator2, project, django_assert_max_num_queries
    ):
        client, path = client_for(reviewer), url(project, "agreement")
        labels = [project.labels.get(name=name) for name in ("Source attribution", "Editorial appeal")]
        tone = make_question(owner, project)
        grow(project, owner, [annotator, annotator2], labels, 2, 0, tone)
        since = {"since_version": clarify(owner, project)}
        grow_under(since["since_version"], project, owner, [annotator, annotator2], labels, 2, 2, tone)
        with CaptureQueriesContext(connection) as four:
            assert client.get(path, since).json()["documents"] == 2
        with CaptureQueriesContext(connection) as unrestricted:
            client.get(path)
        grow_under(since["since_version"], project, owner, [annotator, annotator2], labels, 36, 4, tone)

        with django_assert_max_num_queries(len(four)):
            assert client.get(path, since).json()["documents"] == 38
        with django_assert_max_num_queries(len(four)):
            assert client.get(path, {**since, "include_unsubmitted": "true"}).json()["documents"] == 38
        # the default figures first look for the cached ones, then count the documents (few: computed here)
        assert len(unrestricted) == len(four) + 2

    def test_the_selector_costs_ten_queries_with_or_without_a_version(self, project, eras, django_assert_num_queries):
        # the tenth reads the kept γ; with include_unsubmitted the compared annotators may differ, so there is none
        with django_assert_num_queries(9):
            project_agreement(project=project, since_version=eras["v2"], include_unsubmitted=True)
        with django_assert_num_queries(10):
            project_agreement(project=project, since_version=eras["v2"])
        with django_assert_num_queries(10):
            project_agreement(project=project)


class TestSubmissionTime:
    """since_version reads a submitted assignment's updated_at as when it was submitted; this fails if something
    starts writing submitted assignments."""

    def test_work_after_submitting_leaves_the_submission_time_alone(self, project, owner, annotator, annotator2):
        [document] = document_create_many(member=access_project(owner, project.pk), items=[{"text": TEXT}])
        tone = make_question(owner, project)
        submit(annotator, document)
        submitted_at = document.assignments.get(user=annotator).updated_at

        span = draw(annotator, document, "Source attribution", "The envoy")
        span_update(member=member_of(annotator, project), span=span, label=project.labels.get(name="Denial").pk)
        answer(annotator, document, tone, "pro")
        submit(annotator, document)
        clarify(owner, project)
        draw(annotator2, document, "Source attribution", "The envoy")
        submit(annotator2, document)

        assert document.assignments.get(user=annotator).updated_at == submitted_at
