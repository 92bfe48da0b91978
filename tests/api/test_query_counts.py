"""Lists and stats cost a fixed number of queries: 500 rows take no more queries than 1 row."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from annotator.access import access_project
from annotator.choices import Decision
from annotator.models import (
    Answer,
    Assignment,
    AuditEvent,
    GoldAnswer,
    GoldSpan,
    Label,
    Member,
    Relation,
    ReviewStatus,
    Role,
    Span,
    Suggestion,
    SuggestionDecision,
)
from annotator.services.documents import document_create_many
from annotator.services.projects import project_create
from annotator.services.questions import question_create_many
from annotator.services.relation_types import relation_type_create_many
from tests.arrange import make_question, make_relation_type, member_of, suggest
from tests.conftest import url
from tests.factories import ARTICLE

MANY = 500
PAGE = {"page_size": 1000}
# Token with the caller's membership and the document; label with the caller's assignment; the span; its audit
# row; and the assignment set in progress. On PostgreSQL the last three are one statement.
SPAN_CREATE_QUERIES = {"sqlite": 5, "postgresql": 3}
# Token with the caller's membership and the document; the type with its end labels, both spans, the caller's
# assignment and a duplicate in one; the relation; its audit row. On PostgreSQL the last two are one statement.
RELATION_CREATE_QUERIES = {"sqlite": 4, "postgresql": 3}
# Token with the caller's membership and the document; the question with the caller's assignment and answer; the
# answer; its audit row; the assignment set in progress. On PostgreSQL the last three are one statement.
ANSWER_CREATE_QUERIES = {"sqlite": 5, "postgresql": 3}
# Token with the caller's membership and the document; the suggestion with the caller's decision on it; label
# with the caller's assignment and the same span; the span; its audit row; the assignment set in progress; the
# decision; its audit row. On PostgreSQL the span's three are one statement, and the decision's two are one.
ACCEPT_QUERIES = {"sqlite": 8, "postgresql": 5}
TRANSACTION_CONTROL = ("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT", "BEGIN", "COMMIT")


def users(prefix, n):
    """`n` users made in one query (they never sign in)."""
    User = get_user_model()
    return User.objects.bulk_create([User(username=f"{prefix}{i}", password="!") for i in range(n)])


def documents(owner_member, n, *, offset=0, text=ARTICLE):
    """`n` documents through the service, so each is assigned as the API would assign it."""
    items = [
        {
            "text": text,
            "title": f"Story {offset + i}",
            "source": f"Outlet {(offset + i) % 7}",
            "external_id": f"s{offset + i}",
        }
        for i in range(n)
    ]
    return document_create_many(member=owner_member, items=items)


def spans(document, n, *, annotators, labels, reviewer, offset=0):
    """`n` spans of `document` spread over annotators and labels, every third one reviewed."""
    now = timezone.now()
    rows = []
    for i in range(offset, offset + n):
        start = i % (len(document.text) - 10)
        reviewed = i % 3 == 0
        rows.append(
            Span(
                document=document,
                annotator=annotators[i % len(annotators)],
                label=labels[i % len(labels)],
                start=start,
                end=start + 1 + i % 9,
                note=f"note {i}",
                review_status=ReviewStatus.ACCEPTED if reviewed else ReviewStatus.PENDING,
                reviewed_by=reviewer if reviewed else None,
                reviewed_at=now if reviewed else None,
            )
        )
    return Span.objects.bulk_create(rows)


def questions(owner, project, names, kind="single"):
    """Questions of `project` named `names` (pro / neutral / anti), made by the service in one request's batch: one
    codebook version for all. Made one by one, each was a version recording the whole growing codebook, and the
    500 took 20-30 s a test; the rows are the same either way."""
    items = [{"name": name, "kind": kind, "options": ["pro", "neutral", "anti"]} for name in names]
    return question_create_many(member=member_of(owner, project), items=items)


def queries_of(client, path, params=PAGE):
    """The response to GET `path` and the number of queries it took (after one warm-up request)."""
    client.get(path, params)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, params)
    assert response.status_code == 200, response.content
    return response, len(captured)


def assert_flat(client, path, grow, *, params=PAGE, django_assert_max_num_queries):
    """Measure GET `path` with its one row, let `grow()` add rows to 500, and assert no query was added."""
    response, one_row = queries_of(client, path, params)
    assert len(response.json()["results"]) == 1
    grow()

    with django_assert_max_num_queries(one_row):
        response = client.get(path, params)

    assert response.status_code == 200
    assert len(response.json()["results"]) == MANY
    return one_row


@pytest.fixture
def owner_member(project, owner):
    return access_project(owner, project.pk)


@pytest.fixture
def labels(project):
    return list(project.labels.order_by("id"))


@pytest.fixture
def empty_project(owner):
    """A project with no labels and the owner its only member."""
    return project_create(user=owner, name="Empty")


class TestSpanListQueries:
    def test_a_reviewer_listing_500_spans_costs_what_1_span_costs(
        self, client_for, reviewer, annotator, annotator2, document, labels, django_assert_max_num_queries
    ):
        crowd = [annotator, annotator2]
        spans(document, 1, annotators=crowd, labels=labels, reviewer=reviewer)

        assert_flat(
            client_for(reviewer),
            url(document.project, "documents", document, "spans"),
            lambda: spans(document, MANY - 1, annotators=crowd, labels=labels, reviewer=reviewer, offset=1),
            django_assert_max_num_queries=django_assert_max_num_queries,
        )

    def test_a_blind_annotator_listing_500_own_spans_costs_what_1_costs(
        self, client_for, reviewer, annotator, annotator2, document, labels, django_assert_max_num_queries
    ):
        spans(document, 1, annotators=[annotator], labels=labels, reviewer=reviewer)
        spans(document, 50, annotators=[annotator2], labels=labels, reviewer=reviewer, offset=1)

        assert_flat(
            client_for(annotator),
            url(document.project, "documents", document, "spans"),
            lambda: spans(document, MANY - 1, annotators=[annotator], labels=labels, reviewer=reviewer, offset=51),
            django_assert_max_num_queries=django_assert_max_num_queries,
        )


def relations(document, n, *, annotators, relation_type, reviewer, offset=0):
    """`n` relations of `document`, each between two new spans of one of `annotators`, every third one reviewed."""
    labels = list(Label.objects.filter(project_id=document.project_id).order_by("id"))
    ends = spans(document, 2 * n, annotators=[a for a in annotators for _ in (0, 1)], labels=labels,
                 reviewer=reviewer, offset=offset)  # fmt: skip
    ends = sorted(ends, key=lambda span: span.pk)
    now = timezone.now()
    return Relation.objects.bulk_create(
        Relation(
            document=document,
            annotator=ends[2 * i].annotator,
            type=relation_type,
            from_span=ends[2 * i],
            to_span=ends[2 * i + 1],
            note=f"note {i}",
            review_status=ReviewStatus.ACCEPTED if i % 3 == 0 else ReviewStatus.PENDING,
            reviewed_by=reviewer if i % 3 == 0 else None,
            reviewed_at=now if i % 3 == 0 else None,
        )
        for i in range(n)
    )


@pytest.fixture
def says(owner, project):
    return make_relation_type(owner, project, "Says")


class TestRelationListQueries:
    def test_a_reviewer_listing_500_relations_costs_what_1_relation_costs(
        self, client_for, reviewer, annotator, annotator2, document, says, django_assert_max_num_queries
    ):
        crowd = [annotator, annotator2]
        relations(document, 1, annotators=crowd, relation_type=says, reviewer=reviewer)

        one = assert_flat(
            client_for(reviewer),
            url(document.project, "documents", document, "relations"),
            lambda: relations(document, MANY - 1, annotators=crowd, relation_type=says, reviewer=reviewer, offset=2),
            django_assert_max_num_queries=django_assert_max_num_queries,
        )
        assert one <= 3  # the token with the membership and document, the page of rows (and a count past a page)

    def test_a_blind_annotator_listing_500_own_relations_costs_what_1_costs(
        self, client_for, reviewer, annotator, annotator2, document, says, django_assert_max_num_queries
    ):
        relations(document, 1, annotators=[annotator], relation_type=says, reviewer=reviewer)
        relations(document, 50, annotators=[annotator2], relation_type=says, reviewer=reviewer, offset=2)

        assert_flat(
            client_for(annotator),
            url(document.project, "documents", document, "relations"),
            lambda: relations(
                document, MANY - 1, annotators=[annotator], relation_type=says, reviewer=reviewer, offset=102
            ),
            django_assert_max_num_queries=django_assert_max_num_queries,
        )

    def test_listing_500_relation_types_costs_what_1_costs(
        self, client_for, owner, empty_project, django_assert_max_num_queries
    ):
        Label.objects.create(project=empty_project, name="Cue", key="c")
        make_relation_type(owner, empty_project, "Type 0", from_labels=["Cue"])

        def grow():  # one codebook version for the 499, as questions() makes its questions
            cue = Label.objects.get(project=empty_project, name="Cue")
            items = [{"name": f"Type {i}", "to_labels": [cue.pk]} for i in range(1, MANY)]
            relation_type_create_many(member=member_of(owner, empty_project), items=items)

        assert_flat(
            client_for(owner),
            url(empty_project, "relation-types"),
            grow,
            django_assert_max_num_queries=django_assert_max_num_queries,
        )


class TestSpanQueriesBesideRelations:
    def test_a_span_list_costs_no_more_queries_with_235_relations_on_the_document(
        self, client_for, reviewer, annotator, annotator2, document, labels, says
    ):
        spans(document, 10, annotators=[annotator, annotator2], labels=labels, reviewer=reviewer)
        path = url(document.project, "documents", document, "spans")
        _, without = queries_of(client_for(reviewer), path)

        # 480 spans in all: still one page, so the list's own growth adds no count query either.
        relations(document, 235, annotators=[annotator, annotator2], relation_type=says, reviewer=reviewer, offset=10)
        _, beside = queries_of(client_for(reviewer), path)

        assert beside == without

    def test_drawing_a_span_costs_the_same_with_500_relations_on_the_document(
        self, client_for, annotator, reviewer, annotator2, document, label, says
    ):
        client, path = client_for(annotator), url(document.project, "documents", document, "spans")
        relations(document, MANY, annotators=[annotator, annotator2], relation_type=says, reviewer=reviewer)
        client.get(path)
        phrase = "told reporters"
        start = ARTICLE.index(phrase)

        response, count = statements_of(
            lambda: client.post(path, {"label": label.pk, "start": start, "end": start + len(phrase)})
        )

        assert response.status_code == 201, response.json()
        assert count == SPAN_CREATE_QUERIES[connection.vendor]


class TestRelationCreateQueries:
    def test_making_a_relation_costs_a_small_fixed_number_of_queries(
        self, client_for, annotator, annotator2, reviewer, document, label, says
    ):
        client, path = client_for(annotator), url(document.project, "documents", document, "relations")
        made = relations(document, 2, annotators=[annotator], relation_type=says, reviewer=reviewer)
        body = {"type": says.pk, "from_span": made[0].to_span_id, "to_span": made[1].to_span_id}
        client.get(path)

        first, first_count = statements_of(lambda: client.post(path, body))
        relations(document, MANY, annotators=[annotator, annotator2], relation_type=says, reviewer=reviewer, offset=4)
        later, later_count = statements_of(
            lambda: client.post(path, {**body, "from_span": made[1].to_span_id, "to_span": made[0].to_span_id})
        )

        assert (first.status_code, later.status_code) == (201, 201), first.json()
        assert first_count == later_count == RELATION_CREATE_QUERIES[connection.vendor]


class TestDocumentListQueries:
    @pytest.mark.parametrize(
        "params",
        [
            {},
            {"assigned_to": "me"},
            {"assigned_to": "me", "status": "assigned"},
            {"status": "assigned"},
            {"q": "reporters"},
            {"assigned_to": "annotator", "q": "spokesman"},
        ],
        ids=["all", "assigned-to-me", "my-status", "anyones-status", "search", "search-one-annotators"],
    )
    def test_listing_500_documents_costs_what_1_costs(
        self, client_for, annotator, owner_member, params, django_assert_max_num_queries
    ):
        documents(owner_member, 1)

        assert_flat(
            client_for(annotator),
            url(owner_member.project, "documents"),
            lambda: documents(owner_member, MANY - 1, offset=1),
            params={**PAGE, **params},
            django_assert_max_num_queries=django_assert_max_num_queries,
        )

    def test_filters_leave_out_what_they_do_not_match_at_the_same_cost(
        self, client_for, annotator, owner_member, django_assert_max_num_queries
    ):
        documents(owner_member, 1)
        documents(owner_member, 40, offset=1, text="Nothing to find in here.")
        path = url(owner_member.project, "documents")
        params = {**PAGE, "q": "spokesman"}

        assert_flat(
            client_for(annotator),
            path,
            lambda: documents(owner_member, MANY - 1, offset=41),
            params=params,
            django_assert_max_num_queries=django_assert_max_num_queries,
        )
        assert client_for(annotator).get(path, PAGE).json()["count"] == MANY + 40


class TestProjectListQueries:
    def test_listing_500_labels_costs_what_1_costs(
        self, client_for, owner, empty_project, django_assert_max_num_queries
    ):
        Label.objects.create(project=empty_project, name="Label 0", key="a")

        assert_flat(
            client_for(owner),
            url(empty_project, "labels"),
            lambda: Label.objects.bulk_create(Label(project=empty_project, name=f"Label {i}") for i in range(1, MANY)),
            django_assert_max_num_queries=django_assert_max_num_queries,
        )

    def test_listing_500_members_costs_what_1_costs(
        self, client_for, owner, empty_project, django_assert_max_num_queries
    ):
        def grow():
            Member.objects.bulk_create(
                Member(project=empty_project, user=user, role=Role.ANNOTATOR) for user in users("member", MANY - 1)
            )

        assert_flat(
            client_for(owner),
            url(empty_project, "members"),
            grow,
            django_assert_max_num_queries=django_assert_max_num_queries,
        )

    def test_listing_500_assignments_of_a_document_costs_what_1_costs(
        self, client_for, owner, empty_project, django_assert_max_num_queries
    ):
        [first] = users("annotator", 1)
        Member.objects.create(project=empty_project, user=first, role=Role.ANNOTATOR)
        [document] = documents(access_project(owner, empty_project.pk), 1)

        def grow():
            crowd = users("extra", MANY - 1)
            Member.objects.bulk_create(Member(project=empty_project, user=user, role=Role.ANNOTATOR) for user in crowd)
            Assignment.objects.bulk_create(Assignment(document=document, user=user) for user in crowd)

        assert_flat(
            client_for(owner),
            url(empty_project, "documents", document, "assignments"),
            grow,
            django_assert_max_num_queries=django_assert_max_num_queries,
        )

    def test_listing_500_gold_spans_costs_what_1_costs(
        self, client_for, reviewer, document, labels, django_assert_max_num_queries
    ):
        def gold(start, stop):
            return GoldSpan.objects.bulk_create(
                GoldSpan(
                    document=document, label=labels[i % len(labels)], start=i % 150, end=150 + i, created_by=reviewer
                )
                for i in range(start, stop)
            )

        gold(0, 1)

        assert_flat(
            client_for(reviewer),
            url(document.project, "documents", document, "gold"),
            lambda: gold(1, MANY),
            django_assert_max_num_queries=django_assert_max_num_queries,
        )

    def test_listing_500_audit_events_costs_what_1_costs(
        self, client_for, owner, empty_project, django_assert_max_num_queries
    ):
        AuditEvent.objects.filter(project=empty_project).exclude(action="project.create").delete()

        def grow():
            AuditEvent.objects.bulk_create(
                AuditEvent(
                    project=empty_project,
                    actor=owner,
                    actor_username=owner.username,
                    action="label.create",
                    object_type="label",
                    object_id=i,
                    after={"name": f"Label {i}"},
                )
                for i in range(MANY - 1)
            )

        assert_flat(
            client_for(owner),
            url(empty_project, "audit"),
            grow,
            django_assert_max_num_queries=django_assert_max_num_queries,
        )


def answers(documents_, questions, annotators, *, reviewer):
    """One answer by each of `annotators` to each of `questions` (single ones: their first option) on each of
    `documents_`, every third one reviewed, made in one query."""
    now = timezone.now()
    rows = [
        Answer(
            document=document,
            question=question,
            annotator=user,
            value=question.options[0] if question.kind == "single" else question.options[:2],
            review_status=ReviewStatus.ACCEPTED if i % 3 == 0 else ReviewStatus.PENDING,
            reviewed_by=reviewer if i % 3 == 0 else None,
            reviewed_at=now if i % 3 == 0 else None,
        )
        for i, (document, question, user) in enumerate(
            (d, q, u) for d in documents_ for q in questions for u in annotators
        )
    ]
    return Answer.objects.bulk_create(rows)


class TestAnswerQueries:
    def test_a_reviewer_listing_500_answers_costs_what_1_answer_costs(
        self, client_for, owner, reviewer, annotator, document, django_assert_max_num_queries
    ):
        project = document.project
        first = make_question(owner, project, "Q 0")
        answers([document], [first], [annotator], reviewer=reviewer)

        def grow():
            asked = questions(owner, project, [f"Q {i}" for i in range(1, MANY)])
            answers([document], asked, [annotator], reviewer=reviewer)

        one = assert_flat(
            client_for(reviewer),
            url(project, "documents", document, "answers"),
            grow,
            django_assert_max_num_queries=django_assert_max_num_queries,
        )
        assert one <= 3  # the token with the membership and document, the page of rows, a count past a page

    def test_a_blind_annotator_listing_500_own_answers_costs_what_1_costs(
        self, client_for, owner, reviewer, annotator, annotator2, document, django_assert_max_num_queries
    ):
        project = document.project
        asked = questions(owner, project, [f"Q {i}" for i in range(MANY)])
        answers([document], asked[:1], [annotator], reviewer=reviewer)
        answers([document], asked[:50], [annotator2], reviewer=reviewer)

        assert_flat(
            client_for(annotator),
            url(project, "documents", document, "answers"),
            lambda: answers([document], asked[1:], [annotator], reviewer=reviewer),
            django_assert_max_num_queries=django_assert_max_num_queries,
        )

    def test_listing_500_questions_costs_what_1_costs(
        self, client_for, owner, empty_project, django_assert_max_num_queries
    ):
        make_question(owner, empty_project, "Q 0")

        assert_flat(
            client_for(owner),
            url(empty_project, "questions"),
            lambda: questions(owner, empty_project, [f"Q {i}" for i in range(1, MANY)], "multi"),
            django_assert_max_num_queries=django_assert_max_num_queries,
        )

    def test_listing_500_gold_answers_costs_what_1_costs(
        self, client_for, owner, reviewer, document, django_assert_max_num_queries
    ):
        project = document.project
        asked = questions(owner, project, [f"Q {i}" for i in range(MANY)])
        GoldAnswer.objects.create(document=document, question=asked[0], value="pro", created_by=reviewer)

        assert_flat(
            client_for(reviewer),
            url(project, "documents", document, "gold-answers"),
            lambda: GoldAnswer.objects.bulk_create(
                GoldAnswer(document=document, question=question, value="anti", created_by=owner)
                for question in asked[1:]
            ),
            django_assert_max_num_queries=django_assert_max_num_queries,
        )

    def test_answering_costs_a_small_fixed_number_of_queries(self, client_for, owner, annotator, annotator2, reviewer,
                                                             document):  # fmt: skip
        project = document.project
        client, path = client_for(annotator), url(project, "documents", document, "answers")
        tone, genre = make_question(owner, project, "Tone"), make_question(owner, project, "Genre")
        client.get(path)

        first, first_count = statements_of(lambda: client.post(path, {"question": tone.pk, "value": "pro"}))
        asked = questions(owner, project, [f"Q {i}" for i in range(MANY)])
        answers([document], asked, [annotator, annotator2], reviewer=reviewer)
        later, later_count = statements_of(lambda: client.post(path, {"question": genre.pk, "value": "anti"}))

        assert (first.status_code, later.status_code) == (201, 201), first.json()
        expected = ANSWER_CREATE_QUERIES[connection.vendor]
        assert first_count == expected
        # The assignment is already in progress: SQLite skips its update, PostgreSQL's statement leaves it out.
        assert later_count == (expected - 1 if connection.vendor == "sqlite" else expected)


def suggestions(documents_, n, *, labels, sources, deciders, gold_every=2):
    """`n` suggestions on each of `documents_`, spread over labels and `sources`, each decided by one of
    `deciders` (accepted or rejected in turn) but every fourth left open; one in `gold_every` has a gold twin."""
    made = Suggestion.objects.bulk_create(
        Suggestion(
            document=document,
            label=labels[i % len(labels)],
            start=i,
            end=i + 5,
            score=(i % 10) / 10,
            source=sources[i % len(sources)],
        )
        for document in documents_
        for i in range(n)
    )
    SuggestionDecision.objects.bulk_create(
        SuggestionDecision(
            suggestion=suggestion,
            user=deciders[i % len(deciders)],
            decision=Decision.ACCEPTED if i % 2 else Decision.REJECTED,
        )
        for i, suggestion in enumerate(made)
        if i % 4
    )
    GoldSpan.objects.bulk_create(
        GoldSpan(document=s.document, label=s.label, start=s.start, end=s.end)
        for i, s in enumerate(made)
        if i % gold_every == 0
    )
    return made


class TestStatsQueries:
    def test_stats_of_a_project_500_times_larger_cost_no_more_queries(
        self, client_for, owner, reviewer, annotator, annotator2, owner_member, labels, django_assert_max_num_queries
    ):
        [document] = documents(owner_member, 1)
        spans(document, 1, annotators=[annotator], labels=labels, reviewer=reviewer)
        suggestions([document], 2, labels=labels, sources=["lexicon:cues"], deciders=[annotator])
        client, path = client_for(owner), url(owner_member.project, "stats")
        response, small = queries_of(client, path, {})
        assert response.json()["spans"] == 1
        assert response.json()["suggestions"][0]["precision"] == 0.5
        crowd = users("annotator-", 50)
        Member.objects.bulk_create(
            Member(project=owner_member.project, user=user, role=Role.ANNOTATOR) for user in crowd
        )
        many_documents = documents(owner_member, MANY - 1, offset=1)
        for i, doc in enumerate(many_documents[:100]):
            spans(doc, 5, annotators=[annotator, annotator2, *crowd], labels=labels, reviewer=reviewer, offset=i)
        asked = [
            make_question(owner, owner_member.project, f"Q {i}", kind=("single", "multi")[i % 2]) for i in range(5)
        ]
        asked.append(make_question(owner, owner_member.project, "Slant", "scale", min=1, max=7))
        answers(many_documents, asked[:5], [annotator, annotator2], reviewer=reviewer)
        sources = [f"model:{i}" for i in range(6)]
        suggestions(many_documents, 6, labels=labels, sources=sources, deciders=[annotator, annotator2, *crowd])

        with django_assert_max_num_queries(small):
            response = client.get(path)

        assert response.status_code == 200
        stats = response.json()
        assert (stats["documents"], stats["spans"]) == (MANY, 501)
        assert len(stats["annotators"]) == 52
        assert len(stats["sources"]) == 7
        assert [question["answers"] for question in stats["questions"]] == [2 * (MANY - 1)] * 5 + [0]
        assert [row["suggested"] for row in stats["suggestions"]] == [2] + [MANY - 1] * 6
        assert sum(len(row["users"]) for row in stats["suggestions"]) > 50


class TestSpanCreateQueries:
    def test_drawing_a_span_costs_a_small_fixed_number_of_queries(
        self, client_for, annotator, reviewer, annotator2, document, labels, label
    ):
        client, path = client_for(annotator), url(document.project, "documents", document, "spans")
        phrase = "told reporters"
        start = ARTICLE.index(phrase)
        body = {"label": label.pk, "start": start, "end": start + len(phrase), "text": phrase}
        client.get(path)  # warm-up: one-time lookups stay out of the count

        first, first_count = statements_of(lambda: client.post(path, body))
        spans(document, MANY, annotators=[annotator, annotator2], labels=labels, reviewer=reviewer)
        again = "talks would resume"
        start = ARTICLE.index(again)
        later, later_count = statements_of(
            lambda: client.post(path, {**body, "start": start, "end": start + len(again), "text": again})
        )

        assert (first.status_code, later.status_code) == (201, 201)
        expected = SPAN_CREATE_QUERIES[connection.vendor]
        assert first_count == expected
        # The assignment is already in progress: SQLite skips its update, PostgreSQL's statement leaves it out.
        assert later_count == (expected - 1 if connection.vendor == "sqlite" else expected)


class TestSuggestionAcceptQueries:
    def test_accepting_a_suggestion_costs_a_small_fixed_number_of_queries(
        self, client_for, owner, annotator, reviewer, annotator2, document, labels, label
    ):
        first_suggestion = suggest(owner, document, label, "told reporters")
        later_suggestion = suggest(owner, document, label, "talks would resume")
        client = client_for(annotator)
        client.get(url(document.project, "documents", document, "spans"))  # warm-up: one-time lookups stay out

        def accept(suggestion):
            return client.post(url(document.project, "documents", document, "suggestions", suggestion, "accept"), {})

        first, first_count = statements_of(lambda: accept(first_suggestion))
        spans(document, MANY, annotators=[annotator, annotator2], labels=labels, reviewer=reviewer)
        later, later_count = statements_of(lambda: accept(later_suggestion))

        assert (first.status_code, later.status_code) == (201, 201)
        expected = ACCEPT_QUERIES[connection.vendor]
        assert first_count == expected
        # The assignment is already in progress: SQLite skips its update, PostgreSQL's statement leaves it out.
        assert later_count == (expected - 1 if connection.vendor == "sqlite" else expected)


def statements_of(request):
    """The response of `request()` and the SQL statements it ran, transaction control (which depends on
    whether a test transaction surrounds it) left out."""
    with CaptureQueriesContext(connection) as captured:
        response = request()
    return response, sum(not query["sql"].startswith(TRANSACTION_CONTROL) for query in captured.captured_queries)
