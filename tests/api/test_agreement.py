"""GET /projects/{p}/agreement/ (SPEC "Agreement") and the per-document disagreement the review queue sorts by."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from annotator.access import access_project
from annotator.metrics.gamma import document_gamma
from annotator.models import Answer, Assignment, AssignmentStatus, Span
from annotator.selectors.agreement import document_disagreement, project_agreement
from annotator.services.documents import document_create_many
from annotator.services.projects import project_create
from tests.arrange import answer, draw, make_question, make_relation_type, relate, submit
from tests.conftest import url

# 7 tokens: The envoy said talks would resume .
TEXT = "The envoy said talks would resume."
FIGURES = ["span_f1_exact", "span_f1_overlap", "cohen_kappa", "krippendorff_alpha"]
NOTHING = dict.fromkeys(FIGURES)
# overall and each label also carry γ: null with no span to rest on
NOTHING_OVERALL = {**NOTHING, "gamma": None}
NO_RELATION_FIGURES = {"f1_exact": None, "f1_overlap": None}


@pytest.fixture
def claim(project):
    return project.labels.get(name="Source attribution")


@pytest.fixture
def appeal(project):
    return project.labels.get(name="Editorial appeal")


@pytest.fixture
def articles(project, owner):
    """Three copies of TEXT in `project`, each assigned to both annotators."""
    return document_create_many(
        member=access_project(owner, project.pk), items=[{"text": TEXT, "external_id": f"t{i}"} for i in range(3)]
    )


def agreement(client, project, **params):
    response = client.get(url(project, "agreement"), params)
    assert response.status_code == 200, response.content
    return response.json()


@pytest.fixture
def worked(articles, annotator, annotator2, claim, appeal):
    """The hand-worked pair of tests/unit/test_metrics.py on the first article, both submitted; on the second
    annotator submitted and annotator2 drew without submitting; on the third only annotator2 drew."""
    first, second, third = articles
    draw(annotator, first, claim, "The envoy")
    draw(annotator, first, appeal, "talks would resume")
    draw(annotator2, first, claim, "envoy said")
    draw(annotator2, first, appeal, "talks would resume")
    submit(annotator, first)
    submit(annotator2, first)
    draw(annotator, second, claim, "The envoy")
    submit(annotator, second)
    draw(annotator2, second, claim, "said")
    draw(annotator2, third, claim, "talks")
    return articles


def first_article_gamma(annotator, annotator2, claim, appeal):
    """γ of `worked`'s first article as metrics.gamma computes it (checked against pygamma-agreement in
    tests/unit/test_metrics_gamma.py): the API must give exactly this."""
    return document_gamma(
        {
            annotator.pk: [(claim.pk, 0, 9), (appeal.pk, 15, 33)],
            annotator2.pk: [(claim.pk, 4, 14), (appeal.pk, 15, 33)],
        }
    )


class TestAgreement:
    def test_figures_match_the_hand_computed_project(
        self, client_for, reviewer, project, worked, claim, appeal, annotator, annotator2
    ):
        figures = agreement(client_for(reviewer), project)
        gamma = first_article_gamma(annotator, annotator2, claim, appeal)
        assert 0 < gamma.overall < 1
        assert gamma.labels[appeal.pk] == (1.0, 2)  # identical spans

        assert figures["documents"] == 1
        assert figures["overall"] == pytest.approx(
            {
                "span_f1_exact": 0.5,
                "span_f1_overlap": 42 / 55,
                "cohen_kappa": 62 / 90,
                "krippendorff_alpha": 0.7,
                "gamma": gamma.overall,
            }
        )
        assert [row["label"] for row in figures["labels"]] == [claim.pk, appeal.pk]
        claim_row, appeal_row = figures["labels"]
        assert claim_row == pytest.approx(
            {
                "label": claim.pk,
                "name": "Source attribution",
                "documents": 1,
                "span_f1_exact": 0.0,
                "span_f1_overlap": 10 / 19,
                "cohen_kappa": 0.3,
                "krippendorff_alpha": 0.35,
                "gamma": gamma.labels[claim.pk][0],
            }
        )
        assert appeal_row == {
            "label": appeal.pk,
            "name": "Editorial appeal",
            "documents": 1,
            **dict.fromkeys(FIGURES, 1.0),
            "gamma": 1.0,
        }
        assert len(figures["pairs"]) == 1
        assert figures["pairs"][0] == pytest.approx(
            {
                "a": "annotator",
                "b": "annotator2",
                "documents": 1,
                "span_f1_exact": 0.5,
                "span_f1_overlap": 42 / 55,
                "cohen_kappa": 62 / 90,
            }
        )

    def test_the_response_has_the_shape_spec_gives(self, client_for, owner, project, worked):
        figures = agreement(client_for(owner), project)

        assert list(figures) == [
            "documents",
            "overall",
            "labels",
            "pairs",
            "relations",
            "questions",
            "since_version",
            "gamma_pending",
            "computed_at",
            "stale",
        ]
        assert list(figures["overall"]) == [*FIGURES, "gamma"]
        assert [list(row) for row in figures["labels"]] == [["label", "name", "documents", *FIGURES, "gamma"]] * 2
        assert [list(row) for row in figures["pairs"]] == [["a", "b", "documents", *FIGURES[:3]]]

    def test_relation_figures_match_the_hand_computed_project(
        self, client_for, owner, reviewer, annotator, annotator2, project, articles, claim, appeal
    ):
        first, second, _ = articles
        says = make_relation_type(owner, project, "Says", from_labels=[claim], to_labels=[appeal])
        cites = make_relation_type(owner, project, "Cites")
        # annotator: "The envoy" -says-> "talks would resume" and -cites-> it too.
        envoy, talks = draw(annotator, first, claim, "The envoy"), draw(annotator, first, appeal, "talks would resume")
        relate(annotator, says, envoy, talks)
        relate(annotator, cites, envoy, talks)
        # annotator2: "envoy said" -says-> "talks would resume": the same type and to end, a from end that shares
        # "envoy" with annotator's: an overlap match, not an exact one. Nothing of type Cites.
        said, talks2 = (
            draw(annotator2, first, claim, "envoy said"),
            draw(annotator2, first, appeal, "talks would resume"),
        )
        relate(annotator2, says, said, talks2)
        submit(annotator, first)
        submit(annotator2, first)
        # On the second article only annotator submitted: their relation there is not compared.
        relate(annotator, says, draw(annotator, second, claim, "envoy"), draw(annotator, second, appeal, "talks"))
        submit(annotator, second)

        relations = agreement(client_for(reviewer), project)["relations"]

        # Says: exact 0 matches, overlap 1 of 1 + 1; Cites: 0 of 1 + 0. Overall: exact 0, overlap 2·1 / (2 + 1).
        assert relations["overall"] == pytest.approx({"f1_exact": 0.0, "f1_overlap": 2 / 3})
        assert relations["types"] == [
            {"type": says.pk, "name": "Says", "f1_exact": 0.0, "f1_overlap": 1.0},
            {"type": cites.pk, "name": "Cites", "f1_exact": 0.0, "f1_overlap": 0.0},
        ]
        assert relations["pairs"] == [
            pytest.approx({"a": "annotator", "b": "annotator2", "f1_exact": 0.0, "f1_overlap": 2 / 3})
        ]

    def test_without_relations_the_relation_figures_rest_on_nothing(self, client_for, owner, project, worked):
        relations = agreement(client_for(owner), project)["relations"]

        assert relations == {
            "overall": NO_RELATION_FIGURES,
            "types": [],
            "pairs": [{"a": "annotator", "b": "annotator2", **NO_RELATION_FIGURES}],
        }

    def test_include_unsubmitted_compares_what_annotators_drew_so_far(
        self, client_for, reviewer, project, worked, claim
    ):
        figures = agreement(client_for(reviewer), project, include_unsubmitted="true")

        # The second article joins (annotator2 drew on it); the third has one annotator still.
        assert figures["documents"] == 2
        assert figures["pairs"][0]["documents"] == 2
        # The second article adds "The envoy" against "said": no match among 2 more spans.
        assert figures["overall"]["span_f1_exact"] == pytest.approx(2 * 1 / 6)
        assert [row["documents"] for row in figures["labels"]] == [2, 1]

    def test_an_owner_who_drew_spans_is_an_annotator_only_with_include_unsubmitted(
        self, client_for, owner, reviewer, project, articles, annotator, claim
    ):
        first = articles[0]
        draw(annotator, first, claim, "The envoy")
        submit(annotator, first)
        draw(owner, first, claim, "The envoy")

        assert agreement(client_for(reviewer), project)["documents"] == 0
        figures = agreement(client_for(reviewer), project, include_unsubmitted="true")
        assert figures["documents"] == 1
        assert [(pair["a"], pair["b"]) for pair in figures["pairs"]] == [("annotator", "owner")]
        assert figures["overall"] == {**dict.fromkeys(FIGURES, 1.0), "gamma": 1.0}

    def test_spans_of_an_annotator_who_has_not_submitted_do_not_count(
        self, client_for, reviewer, project, articles, make_user, annotator, annotator2, claim
    ):
        first = articles[0]
        for user in (annotator, annotator2):
            draw(user, first, claim, "The envoy")
            submit(user, first)
        draw(reviewer, first, claim, "talks")  # a reviewer's span, never submitted

        figures = agreement(client_for(reviewer), project)

        assert figures["overall"] == {**dict.fromkeys(FIGURES, 1.0), "gamma": 1.0}
        assert [pair["a"] + "/" + pair["b"] for pair in figures["pairs"]] == ["annotator/annotator2"]

    def test_an_empty_project_has_nothing_to_rest_on(self, client_for, owner):
        project = project_create(user=owner, name="Empty")

        figures = agreement(client_for(owner), project)

        assert figures == {
            "documents": 0,
            "overall": NOTHING_OVERALL,
            "labels": [],
            "pairs": [],
            "relations": {"overall": NO_RELATION_FIGURES, "types": [], "pairs": []},
            "questions": [],
            "since_version": None,
            "gamma_pending": 0,
            "computed_at": figures["computed_at"],
            "stale": False,
        }

    def test_submitted_documents_without_spans_give_null_figures(
        self, client_for, reviewer, project, articles, annotator, annotator2
    ):
        for user in (annotator, annotator2):
            submit(user, articles[0])

        figures = agreement(client_for(reviewer), project)

        assert figures == {
            "documents": 1,
            "overall": NOTHING_OVERALL,
            "labels": [],
            "pairs": [{"a": "annotator", "b": "annotator2", "documents": 1, **dict.fromkeys(FIGURES[:3])}],
            "relations": {
                "overall": NO_RELATION_FIGURES,
                "types": [],
                "pairs": [{"a": "annotator", "b": "annotator2", **NO_RELATION_FIGURES}],
            },
            "questions": [],
            "since_version": None,
            "gamma_pending": 0,
            "computed_at": figures["computed_at"],
            "stale": False,
        }

    def test_one_sided_annotations_score_zero(
        self, client_for, reviewer, project, articles, annotator, annotator2, claim
    ):
        draw(annotator, articles[0], claim, "The envoy")
        for user in (annotator, annotator2):
            submit(user, articles[0])

        figures = agreement(client_for(reviewer), project)

        assert figures["pairs"][0] == {
            "a": "annotator",
            "b": "annotator2",
            "documents": 1,
            "span_f1_exact": 0.0,
            "span_f1_overlap": 0.0,
            "cohen_kappa": 0.0,
        }

    def test_a_bad_flag_is_a_400_naming_it(self, client_for, reviewer, project):
        response = client_for(reviewer).get(url(project, "agreement"), {"include_unsubmitted": "perhaps"})

        assert response.status_code == 400
        assert "include_unsubmitted" in response.json()


@pytest.fixture
def questions(owner, project):
    return {
        "tone": make_question(owner, project),
        "frames": make_question(owner, project, "Frames", "multi", options=["Economic", "Security"]),
        "slant": make_question(owner, project, "Slant", "scale", min=1, max=5),
    }


@pytest.fixture
def answered(articles, annotator, annotator2, questions):
    """Tone: both annotators agree on the first two articles (pro, anti) and differ on the third (pro, neutral);
    Slant: 1 against 2 on the first, 5 and 5 on the second; Frames: only annotator answers. Both submitted the
    first two articles; annotator2 has not submitted the third."""
    first, second, third = articles
    tone, frames, slant = questions["tone"], questions["frames"], questions["slant"]
    for document, values in ((first, ("pro", "pro")), (second, ("anti", "anti")), (third, ("pro", "neutral"))):
        answer(annotator, document, tone, values[0])
        answer(annotator2, document, tone, values[1])
    for document, values in ((first, (1, 2)), (second, (5, 5))):
        answer(annotator, document, slant, values[0])
        answer(annotator2, document, slant, values[1])
    answer(annotator, first, frames, ["Economic"])
    for document in (first, second, third):
        submit(annotator, document)
    for document in (first, second):
        submit(annotator2, document)
    return articles


class TestQuestionAgreement:
    def test_each_question_gets_its_hand_worked_figures(self, client_for, reviewer, project, questions, answered):
        figures = agreement(client_for(reviewer), project)["questions"]

        assert [row["question"] for row in figures] == [q.pk for q in questions.values()]
        tone, frames, slant = figures
        assert list(tone) == ["question", "name", "kind", "documents", "percent_agreement", *FIGURES[2:]]
        assert tone == {
            "question": questions["tone"].pk,
            "name": "Tone",
            "kind": "single",
            "documents": 2,
            "percent_agreement": 1.0,
            "cohen_kappa": 1.0,
            "krippendorff_alpha": 1.0,
        }
        # Nobody to compare with: the figures rest on nothing.
        assert frames == {
            "question": questions["frames"].pk,
            "name": "Frames",
            "kind": "multi",
            "documents": 0,
            "percent_agreement": None,
            "cohen_kappa": None,
            "krippendorff_alpha": None,
        }
        # 1 against 2, 5 and 5: kappa (2·1 - 1) / (4 - 1); ordinal alpha with n_1 1, n_2 1, n_5 2: δ(1, 2) 1,
        # δ(1, 5) 2.5², δ(2, 5) 1.5², observed 2, expected 2·(1 + 2·6.25 + 2·2.25) / 3 = 12.
        assert (slant["kind"], slant["documents"]) == ("scale", 2)
        assert slant["percent_agreement"] == 0.5
        assert slant["cohen_kappa"] == pytest.approx(1 / 3)
        assert slant["krippendorff_alpha"] == pytest.approx(5 / 6)

    def test_unsubmitted_answers_count_only_when_asked(self, client_for, reviewer, project, answered):
        tone = agreement(client_for(reviewer), project, include_unsubmitted="true")["questions"][0]

        # pro/pro, anti/anti, pro/neutral: kappa (3·2 - 3) / (9 - 3); alpha 1 - 2 / (2·(3·2 + 3·1 + 2·1) / 5).
        assert tone["documents"] == 3
        assert tone["percent_agreement"] == pytest.approx(2 / 3)
        assert tone["cohen_kappa"] == pytest.approx(0.5)
        assert tone["krippendorff_alpha"] == pytest.approx(6 / 11)

    def test_a_project_without_questions_has_an_empty_block(self, client_for, reviewer, project, worked):
        assert agreement(client_for(reviewer), project)["questions"] == []


class TestAgreementAccess:
    @pytest.mark.parametrize(
        ("role", "status"), [("owner", 200), ("reviewer", 200), ("annotator", 403), ("outsider", 404)]
    )
    def test_owners_and_reviewers_only(self, client_for, request, project, worked, role, status):
        response = client_for(request.getfixturevalue(role)).get(url(project, "agreement"))

        assert response.status_code == status
        if status == 404:
            assert response.json() == {"detail": "Not found."}

    def test_anonymous_is_refused(self, client_for, project):
        assert client_for().get(url(project, "agreement")).status_code == 401


def grow(project, owner, annotators, labels, n, offset, question=None):
    """`n` more documents, each with both annotators' spans (some agreeing, some not) and, given a single-choice
    `question`, their answers to it (every third differing), submitted by both."""
    documents = document_create_many(
        member=access_project(owner, project.pk),
        items=[{"text": TEXT, "external_id": f"bulk-{offset + i}"} for i in range(n)],
    )
    rows = []
    for i, document in enumerate(documents):
        for j, user in enumerate(annotators):
            rows.append(Span(document=document, annotator=user, label=labels[i % 2], start=0, end=9))
            rows.append(Span(document=document, annotator=user, label=labels[j], start=15 + j, end=33))
    Span.objects.bulk_create(rows)
    if question is not None:
        Answer.objects.bulk_create(
            Answer(document=document, annotator=user, question=question, value=question.options[(i % 3) * j])
            for i, document in enumerate(documents)
            for j, user in enumerate(annotators)
        )
    Assignment.objects.filter(document__in=documents).update(status=AssignmentStatus.SUBMITTED)
    return documents


class TestAgreementQueries:
    def test_forty_documents_cost_the_queries_two_cost(
        self, client_for, owner, reviewer, annotator, annotator2, project, claim, appeal, django_assert_max_num_queries
    ):
        client, path = client_for(reviewer), url(project, "agreement")
        tone = make_question(owner, project)
        make_question(owner, project, "Slant", "scale", min=1, max=5)
        grow(project, owner, [annotator, annotator2], [claim, appeal], 2, 0, tone)
        client.get(path)
        with CaptureQueriesContext(connection) as two:
            assert client.get(path).json()["questions"][0]["documents"] == 2
        grow(project, owner, [annotator, annotator2], [claim, appeal], 38, 2, tone)

        with django_assert_max_num_queries(len(two)):
            response = client.get(path, {"include_unsubmitted": "true"})
        with django_assert_max_num_queries(len(two)):
            assert client.get(path).json()["questions"][0]["documents"] == 40
        with django_assert_max_num_queries(len(two)):  # every document's work carries version 1 or later
            assert client.get(path, {"since_version": 1}).json()["documents"] == 40

        assert response.json()["documents"] == 40


class TestDocumentDisagreement:
    def test_mean_exact_span_f1_of_each_compared_document(self, project, worked, annotator, claim):
        first, second, third = worked

        assert document_disagreement(project=project) == {first.pk: 0.5}
        assert document_disagreement(project=project, include_unsubmitted=True) == {first.pk: 0.5, second.pk: 0.0}
        assert document_disagreement(project=project, document_ids=[second.pk, third.pk]) == {}

    def test_documents_without_spans_have_none(self, project, articles, annotator, annotator2):
        for user in (annotator, annotator2):
            submit(user, articles[1])

        assert document_disagreement(project=project) == {articles[1].pk: None}

    def test_costs_two_queries(self, project, worked, django_assert_num_queries):
        with django_assert_num_queries(2):
            document_disagreement(project=project, include_unsubmitted=True)

    def test_agrees_with_the_project_figures_for_a_single_document(self, project, worked):
        first = worked[0]

        assert (
            document_disagreement(project=project)[first.pk]
            == project_agreement(project=project)["overall"]["span_f1_exact"]
        )
