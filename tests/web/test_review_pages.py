"""The reviewer's pages through Django's test client: who may open them, the queue's order, and the relations and
answers a document's review page embeds."""

import pytest

from annotator.models import Answer, Span
from annotator.services.gold_relations import gold_relation_create
from annotator.services.reviews import answer_review, relation_review, span_review
from tests.arrange import answer, answer_gold, draw, make_question, make_relation_type, member_of, relate, submit
from tests.web.arrange import add_documents, signed_in
from tests.web.html import attribute, find, find_all, page_data, text, tree


@pytest.fixture
def disputed(project, owner, annotator, annotator2):
    """Three documents: "Story 0" where both annotators drew the same span, "Story 1" where they disagree, and
    "Story 2" that only annotator worked on."""
    agreed, disputed, single = add_documents(owner, project, 3)
    for user in (annotator, annotator2):
        draw(user, agreed, "Source attribution")
        submit(user, agreed)
    draw(annotator, disputed, "Source attribution")
    draw(annotator2, disputed, "Denial", "talks would resume")
    submit(annotator, disputed)
    submit(annotator2, disputed)
    draw(annotator, single, "Source attribution")
    return agreed, disputed, single


class TestReviewQueue:
    def test_disagreement_comes_first_and_single_annotator_documents_last(self, client, reviewer, project, disputed):
        agreed, contested, single = disputed

        response = signed_in(client, reviewer).get(f"/projects/{project.pk}/review/")

        assert response.status_code == 200
        rows = find_all(tree(response), "data-document-id")
        assert [int(attribute(row, "data-document-id")) for row in rows] == [contested.pk, agreed.pk, single.pk]

    @pytest.mark.parametrize(("who", "status"), [("annotator", 403), ("outsider", 404)])
    def test_annotators_are_refused_and_outsiders_do_not_find_it(self, client, project, disputed, who, status,
                                                                 request):  # fmt: skip
        user = request.getfixturevalue(who)

        assert signed_in(client, user).get(f"/projects/{project.pk}/review/").status_code == status

    def test_each_row_counts_the_spans_already_reviewed(self, client, reviewer, project, disputed):
        agreed, contested, single = disputed
        first, second = Span.objects.filter(document=contested).order_by("id")
        span_review(member=member_of(reviewer, project), span=first, decision="accepted")
        span_review(member=member_of(reviewer, project), span=second, decision="rejected")

        page = tree(signed_in(client, reviewer).get(f"/projects/{project.pk}/review/"))

        reviewed = {int(attribute(row, "data-document-id")): text(find(row, "data-field", "reviewed"))
                    for row in find_all(page, "data-document-id")}  # fmt: skip
        assert reviewed == {contested.pk: "2 of 2", agreed.pk: "0 of 2", single.pk: "0 of 1"}

    def test_the_queue_costs_the_same_queries_for_few_and_many_documents(self, client, reviewer, owner, project,
                                                                         annotator, annotator2, disputed,
                                                                         django_assert_max_num_queries):  # fmt: skip
        client = signed_in(client, reviewer)
        path = f"/projects/{project.pk}/review/"
        with django_assert_max_num_queries(14) as few:  # the stored figures: the document's, the queue's
            client.get(path)
        for document in add_documents(owner, project, 5, offset=3):
            for user in (annotator, annotator2):
                span = draw(user, document, "Source attribution")
                submit(user, document)
            span_review(member=member_of(reviewer, project), span=span, decision="accepted")

        with django_assert_max_num_queries(len(few.captured_queries)):
            response = client.get(path)

        assert len(list(find_all(tree(response), "data-document-id"))) == 8


class TestReviewPage:
    def test_each_annotator_has_a_lane_and_the_gold_lane_comes_last(self, client, owner, project, disputed):
        _, contested, _ = disputed

        response = signed_in(client, owner).get(f"/projects/{project.pk}/documents/{contested.pk}/review/")

        assert response.status_code == 200
        lanes = find_all(tree(response), "data-testid", "lane")
        assert [attribute(lane, "data-annotator") for lane in lanes] == ["annotator", "annotator2", "gold"]

    @pytest.mark.parametrize(("who", "status"), [("annotator", 403), ("outsider", 404)])
    def test_annotators_are_refused_and_outsiders_do_not_find_it(self, client, project, disputed, who, status,
                                                                 request):  # fmt: skip
        user = request.getfixturevalue(who)
        _, contested, _ = disputed

        response = signed_in(client, user).get(f"/projects/{project.pk}/documents/{contested.pk}/review/")

        assert response.status_code == status

    def test_anonymous_visitors_are_sent_to_sign_in(self, client, project, disputed):
        response = client.get(f"/projects/{project.pk}/documents/{disputed[0].pk}/review/")

        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")

    def test_the_page_costs_the_same_queries_for_few_and_many_spans(self, client, reviewer, project, owner,
                                                                    annotator, disputed,
                                                                    django_assert_max_num_queries):  # fmt: skip
        _, contested, _ = disputed
        client = signed_in(client, reviewer)
        path = f"/projects/{project.pk}/documents/{contested.pk}/review/"
        with django_assert_max_num_queries(19) as few:  # the questions, answers and gold answers: three
            client.get(path)
        for phrase in ("Monday", "talks", "resume", "statement"):
            draw(annotator, contested, "Denial", phrase)

        with django_assert_max_num_queries(len(few.captured_queries)):
            client.get(path)


def review_path(project, document):
    return f"/projects/{project.pk}/documents/{document.pk}/review/"


@pytest.fixture
def related(project, owner, reviewer, annotator, annotator2, document):
    """Both annotators relate Ілля Коваль to "talks would resume" alike; annotator also to "he said", which
    annotator2 did not; the reviewer copied annotator's shared relation into gold. Both submitted."""
    says = make_relation_type(owner, project, "Says")
    relations = {}
    for user in (annotator, annotator2):
        source = draw(user, document, "Source attribution", "Ілля Коваль")
        claim = draw(user, document, "Diplomatic claim", "talks would resume")
        relations[f"shared-{user.username}"] = relate(user, says, source, claim)
    said = draw(annotator, document, "Diplomatic claim", "he said")
    relations["alone"] = relate(annotator, says, source_of(annotator, document), said)
    gold = gold_relation_create(
        member=member_of(reviewer, project), document=document, from_relation=relations["shared-annotator"].pk
    )
    for user in (annotator, annotator2):
        submit(user, document)
    return says, relations, gold


def source_of(user, document):
    return Span.objects.get(document=document, annotator=user, label__name="Source attribution")


class TestRelationsOnTheReviewPage:
    def test_every_annotators_relations_come_with_how_many_annotators_drew_each_exactly(
        self, client, reviewer, project, document, related
    ):
        _, relations, _ = related

        data = page_data(signed_in(client, reviewer).get(review_path(project, document)), "review-data")

        assert sorted(relation["id"] for relation in data["relations"]) == sorted(r.pk for r in relations.values())
        assert data["relation_holders"] == {
            str(relations["shared-annotator"].pk): 2,
            str(relations["shared-annotator2"].pk): 2,
            str(relations["alone"].pk): 1,
        }

    def test_the_gold_lane_gets_the_gold_relations_between_gold_spans(
        self, client, reviewer, project, document, related
    ):
        says, relations, gold = related

        data = page_data(signed_in(client, reviewer).get(review_path(project, document)), "review-data")

        [embedded] = data["gold_relations"]
        assert (embedded["id"], embedded["type"], embedded["source_relation"]) == (
            gold.pk,
            says.pk,
            relations["shared-annotator"].pk,
        )
        assert {embedded["from_span"], embedded["to_span"]} <= {span["id"] for span in data["gold"]}
        assert [kind["name"] for kind in data["relation_types"]] == ["Says"]

    def test_each_lane_has_a_layer_for_its_arcs_room_for_them_and_the_head_counts_the_relations_reviewed(
        self, client, reviewer, project, document, related
    ):
        _, relations, _ = related
        relation_review(member=member_of(reviewer, project), relation=relations["alone"], decision="rejected")

        root = tree(signed_in(client, reviewer).get(review_path(project, document)))

        assert len(list(find_all(root, "data-testid", "relation-arcs"))) == 3
        assert text(find(root, "data-testid", "relation-review-progress")) == "1 of 3 relations reviewed"
        assert "with-relations" in attribute(find(root, "data-testid", "lanes"), "class").split()

    def test_a_project_without_relations_counts_none(self, client, reviewer, project, disputed):
        _, contested, _ = disputed

        root = tree(signed_in(client, reviewer).get(review_path(project, contested)))

        assert list(find_all(root, "data-testid", "relation-review-progress")) == []
        assert attribute(find(root, "data-testid", "lanes"), "class") == "lanes"  # lines as close as without arcs

    @pytest.mark.parametrize("world", ["related", "answered"])
    @pytest.mark.parametrize(("who", "status"), [("annotator", 403), ("outsider", 404)])
    def test_annotators_are_refused_and_outsiders_do_not_find_it_with_relations_or_answers(
        self, client, project, document, world, who, status, request
    ):
        request.getfixturevalue(world)
        response = signed_in(client, request.getfixturevalue(who)).get(review_path(project, document))

        assert response.status_code == status
        assert b"review-data" not in response.content

    def test_the_page_costs_the_same_queries_for_few_and_many_relations(self, client, reviewer, project, owner,
                                                                        annotator, document, related,
                                                                        django_assert_max_num_queries):  # fmt: skip
        client = signed_in(client, reviewer)
        with django_assert_max_num_queries(22) as few:
            client.get(review_path(project, document))
        source = source_of(annotator, document)
        claims = [draw(annotator, document, "Diplomatic claim", words) for words in ("Monday", "statement", "weeks")]
        for i in range(4):
            kind = make_relation_type(owner, project, f"Kind {i}", to_labels=["Diplomatic claim"])
            for claim in claims:
                relate(annotator, kind, source, claim)

        with django_assert_max_num_queries(len(few.captured_queries)):
            data = page_data(client.get(review_path(project, document)), "review-data")

        assert len(data["relations"]) == 3 + 4 * 3


@pytest.fixture
def answered(project, owner, reviewer, annotator, annotator2, document):
    """Three questions both annotators answer: the same tone, frames in a different order that are the same set,
    slants apart; only annotator picks a genre. The reviewer accepted annotator's tone and set the gold tone."""
    tone = make_question(owner, project, "Tone")
    frames = make_question(owner, project, "Frames", "multi", options=["Economic", "Political", "Legality"])
    slant = make_question(owner, project, "Slant", "scale", min=-2, max=2)
    genre = make_question(owner, project, "Genre", options=["opinion", "reporting"])
    for user, order, value in ((annotator, ["Economic", "Political"], 1), (annotator2, ["Political", "Economic"], -1)):
        answer(user, document, tone, "neutral")
        answer(user, document, frames, order)
        answer(user, document, slant, value)
    answer(annotator, document, genre, "opinion")
    answer_review(
        member=member_of(reviewer, project),
        answer=Answer.objects.get(annotator=annotator, question=tone),
        decision="accepted",
    )
    answer_gold(reviewer, document, tone, "neutral")
    return {"tone": tone, "frames": frames, "slant": slant, "genre": genre}


class TestAnswersOnTheReviewPage:
    def test_every_annotators_answers_come_with_the_questions_and_the_gold_answers(
        self, client, reviewer, project, document, answered
    ):
        data = page_data(signed_in(client, reviewer).get(review_path(project, document)), "review-data")

        assert [question["name"] for question in data["questions"]] == ["Tone", "Frames", "Slant", "Genre"]
        assert sorted((row["annotator"], row["question"], str(row["value"])) for row in data["answers"]) == sorted(
            [(name, answered[q].pk, value) for name in ("annotator", "annotator2") for q, value in (
                ("tone", "neutral"), ("frames", "['Economic', 'Political']"))]
            + [("annotator", answered["slant"].pk, "1"), ("annotator2", answered["slant"].pk, "-1"),
               ("annotator", answered["genre"].pk, "opinion")]
        )  # fmt: skip
        [gold] = data["gold_answers"]
        assert (gold["question"], gold["value"]) == (answered["tone"].pk, "neutral")

    def test_only_questions_two_annotators_answered_differently_are_flagged_disagree(
        self, client, reviewer, project, document, answered
    ):
        data = page_data(signed_in(client, reviewer).get(review_path(project, document)), "review-data")

        assert data["answer_agreement"] == {
            str(answered["tone"].pk): "agree",
            str(answered["frames"].pk): "agree",  # the same options, whatever order they were given in
            str(answered["slant"].pk): "disagree",
        }

    def test_the_head_counts_the_answers_reviewed_beside_the_spans(self, client, reviewer, project, document,
                                                                   answered):  # fmt: skip
        root = tree(signed_in(client, reviewer).get(review_path(project, document)))

        assert text(find(root, "data-testid", "answer-review-progress")) == "1 of 7 answers reviewed"
        assert len(list(find_all(root, "data-testid", "answers-table"))) == 1

    def test_someone_unassigned_who_only_answered_still_gets_a_column(self, client, owner, reviewer, project,
                                                                      document):  # fmt: skip
        answer(owner, document, make_question(owner, project, "Tone"), "anti")

        data = page_data(signed_in(client, reviewer).get(review_path(project, document)), "review-data")

        assert [lane["username"] for lane in data["lanes"]] == ["annotator", "annotator2", "owner"]
        assert [row["annotator"] for row in data["answers"]] == ["owner"]

    def test_a_project_without_questions_has_no_questions_block(self, client, reviewer, project, disputed):
        _, contested, _ = disputed

        root = tree(signed_in(client, reviewer).get(review_path(project, contested)))

        assert list(find_all(root, "data-testid", "answers-table")) == []
        assert list(find_all(root, "data-testid", "answer-review-progress")) == []

    def test_the_page_costs_the_same_queries_for_few_and_many_questions_and_answers(
        self, client, reviewer, project, owner, annotator, annotator2, document, answered,
        django_assert_max_num_queries,
    ):  # fmt: skip
        client = signed_in(client, reviewer)
        with django_assert_max_num_queries(22) as few:
            client.get(review_path(project, document))
        for i in range(5):
            question = make_question(owner, project, f"Extra {i}")
            for user in (annotator, annotator2):
                answer(user, document, question, "pro")
            answer_gold(reviewer, document, question, "pro")

        with django_assert_max_num_queries(len(few.captured_queries)):
            data = page_data(client.get(review_path(project, document)), "review-data")

        assert (len(data["answers"]), len(data["gold_answers"])) == (7 + 10, 1 + 5)
