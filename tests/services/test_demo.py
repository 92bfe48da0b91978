import re
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient

from annotator.access import access_project
from annotator.demo_data import (
    ARTICLES,
    DEMO_ANSWERS,
    DEMO_PROJECT,
    DEMO_QUESTIONS,
    DEMO_RELATION_TYPES,
    DEMO_RELATIONS,
    DEMO_SPANS,
    DEMO_SUGGESTIONS,
)
from annotator.errors import InvalidInput
from annotator.models import (
    Answer,
    AuditEvent,
    Document,
    GoldAnswer,
    GoldRelation,
    GoldSpan,
    Member,
    Project,
    Question,
    Relation,
    RelationType,
    ReviewStatus,
    Span,
    Suggestion,
)
from annotator.presets import PRESETS
from annotator.services.assignments import document_submit
from annotator.text import utf16_length
from tests.conftest import shared_by_class

PASSWORD_ROW = re.compile(r"^ +(\w+) +(owner|reviewer|annotator) +(\S+)$", re.MULTILINE)
ROLES = {"olga": "owner", "anna": "annotator", "ben": "annotator", "rita": "reviewer"}
SPAN_COUNT = sum(len(phrases) for per_annotator in DEMO_SPANS.values() for phrases in per_annotator.values())
RELATION_COUNT = sum(len(links) for per_annotator in DEMO_RELATIONS.values() for links in per_annotator.values())
ANSWER_COUNT = sum(len(given) for per_annotator in DEMO_ANSWERS.values() for given in per_annotator.values())
CYRILLIC = re.compile(r"[\u0400-\u04ff]")


def load_demo(*args):
    out = StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


def printed_passwords(output):
    return {username: password for username, _, password in PASSWORD_ROW.findall(output)}


def demo_spans(username):
    """The demo spans of `username` as {external_id: {(label name, start, end)}}."""
    spans = {}
    for span in Span.objects.filter(annotator__username=username).select_related("document", "label"):
        spans.setdefault(span.document.external_id, set()).add((span.label.name, span.start, span.end))
    return spans


def row_counts():
    models = [
        Project,
        get_user_model(),
        Member,
        Document,
        Span,
        GoldSpan,
        RelationType,
        Relation,
        GoldRelation,
        AuditEvent,
    ]
    return {model.__name__: model.objects.count() for model in models}


@pytest.fixture(autouse=True)
def _no_fixed_password(monkeypatch):
    monkeypatch.delenv("SLANT_DEMO_PASSWORD", raising=False)


@pytest.fixture
def demo_output(db):
    return load_demo("--once")


@pytest.fixture
def demo(demo_output):
    return Project.objects.get(name=DEMO_PROJECT["name"])


class TestLoadDemo:
    @pytest.fixture(scope="class")
    def _demo_once(self, django_db_setup, django_db_blocker):
        """The demo loaded once for the class (tests/conftest.py shared_by_class): its tests read it, and what one
        changes is rolled back after it."""

        def build():
            with pytest.MonkeyPatch.context() as patch:
                patch.delenv("SLANT_DEMO_PASSWORD", raising=False)
                return load_demo("--once")

        yield from shared_by_class(django_db_blocker, build)

    @pytest.fixture
    def demo_output(self, _demo_once, db):
        return _demo_once

    def test_creates_a_blind_framing_project_with_two_annotators_per_document(self, demo):
        assert demo.annotators_per_document == 2
        assert demo.blind is True
        assert demo.guidelines == DEMO_PROJECT["guidelines"]
        assert sorted(demo.labels.values_list("name", flat=True)) == sorted(
            label["name"] for label in PRESETS["framing"]
        )

    def test_creates_four_users_with_their_roles(self, demo):
        members = dict(Member.objects.filter(project=demo).values_list("user__username", "role"))

        assert members == ROLES
        assert get_user_model().objects.filter(username__in=ROLES).count() == 4

    def test_imports_every_article_with_its_fields(self, demo):
        documents = {document.external_id: document for document in demo.documents.all()}

        assert set(documents) == {article["external_id"] for article in ARTICLES}
        for article in ARTICLES:
            document = documents[article["external_id"]]
            assert document.text == article["text"]
            assert (document.title, document.source, document.language) == (
                article["title"],
                article["source"],
                article["language"],
            )
            assert document.published_at.isoformat().startswith(article["published_at"][:19])

    def test_assigns_every_article_to_both_annotators(self, demo):
        for document in demo.documents.all():
            assert set(document.assignments.values_list("user__username", flat=True)) == {"anna", "ben"}

    def test_every_span_covers_its_phrase_with_its_label(self, demo):
        documents = {document.external_id: document for document in demo.documents.all()}

        for external_id, per_annotator in DEMO_SPANS.items():
            text = documents[external_id].text
            for username, phrases in per_annotator.items():
                drawn = {
                    (text[start:end], label)
                    for start, end, label in Span.objects.filter(
                        document=documents[external_id], annotator__username=username
                    ).values_list("start", "end", "label__name")
                }
                assert drawn == set(phrases)
        assert Span.objects.filter(document__project=demo).count() == SPAN_COUNT

    def test_the_annotators_agree_on_some_spans_and_not_on_others(self, demo):
        anna, ben = demo_spans("anna"), demo_spans("ben")
        both = [external_id for external_id in anna if external_id in ben]

        identical = {(e, *span) for e in both for span in anna[e] & ben[e]}
        anna_only = {(e, *span) for e in both for span in anna[e] - ben[e]}
        ben_only = {(e, *span) for e in both for span in ben[e] - anna[e]}
        relabelled = {(e, s, t) for e, _, s, t in anna_only} & {(e, s, t) for e, _, s, t in ben_only}

        assert identical
        assert anna_only
        assert ben_only
        assert relabelled, "some spans should cover the same text under different labels"

    def test_an_emoji_or_cyrillic_before_a_span_does_not_shift_it(self, demo):
        spans = list(Span.objects.filter(document__project=demo).select_related("document"))
        after_emoji = [s for s in spans if any(ord(c) > 0xFFFF for c in s.document.text[: s.start])]
        after_cyrillic = [s for s in spans if CYRILLIC.search(s.document.text[: s.start])]

        assert after_emoji
        assert after_cyrillic
        for span in after_emoji:
            assert utf16_length(span.document.text[: span.start]) > span.start
        phrases = {
            (external_id, phrase)
            for external_id, per_annotator in DEMO_SPANS.items()
            for phrases in per_annotator.values()
            for phrase, _ in phrases
        }
        for span in after_emoji + after_cyrillic:
            assert (span.document.external_id, span.document.text[span.start : span.end]) in phrases

    def test_submits_the_articles_both_annotators_finished(self, demo):
        statuses = {
            (document.external_id, username): status
            for document in demo.documents.all()
            for username, status in document.assignments.values_list("user__username", "status")
        }

        assert statuses[("demo-001", "anna")] == statuses[("demo-001", "ben")] == "submitted"
        assert statuses[("demo-008", "anna")] == "in_progress"
        assert statuses[("demo-008", "ben")] == "assigned"

    def test_reviews_and_gold_spans_show_every_state(self, demo):
        spans = Span.objects.filter(document__project=demo)
        rejected = spans.filter(review_status=ReviewStatus.REJECTED)
        gold = GoldSpan.objects.filter(document__project=demo)

        assert set(spans.values_list("review_status", flat=True)) == set(ReviewStatus.values)
        assert all(span.review_comment and span.reviewed_by.username == "rita" for span in rejected)
        assert gold.filter(source_span__isnull=False).exists()
        assert gold.filter(source_span__isnull=True).exists()
        for span in gold:
            assert span.document.text[span.start : span.end]

    def test_the_demo_relation_type_links_attributions_to_what_they_introduce(self, demo):
        [says] = RelationType.objects.filter(project=demo)
        ends = {
            end: set(says.end_labels.filter(end=end).values_list("label__name", flat=True)) for end in ("from", "to")
        }

        assert says.name == DEMO_RELATION_TYPES[0]["name"]
        assert ends == {
            "from": set(DEMO_RELATION_TYPES[0]["from_labels"]),
            "to": set(DEMO_RELATION_TYPES[0]["to_labels"]),
        }
        assert says.key not in set(demo.labels.values_list("key", flat=True))

    def test_both_annotators_link_their_quotes_partly_disagreeing(self, demo):
        def links(username):
            return {
                (r.document.external_id, r.from_span.document.text[r.from_span.start : r.from_span.end],
                 r.to_span.document.text[r.to_span.start : r.to_span.end])
                for r in Relation.objects.filter(annotator__username=username).select_related(
                    "document", "from_span__document", "to_span__document"
                )
            }  # fmt: skip

        anna, ben = links("anna"), links("ben")
        same_quote = {(e, target) for e, _, target in anna} & {(e, target) for e, _, target in ben}

        assert Relation.objects.filter(document__project=demo).count() == RELATION_COUNT
        assert anna - ben and ben - anna
        assert same_quote, "some quotes should be linked by both, from differing attribution spans"

    def test_relation_reviews_and_a_gold_relation_show_every_state(self, demo):
        relations = Relation.objects.filter(document__project=demo)
        [gold] = GoldRelation.objects.filter(document__project=demo)

        assert set(relations.values_list("review_status", flat=True)) == set(ReviewStatus.values)
        assert gold.source_relation.annotator.username == "anna"
        assert gold.from_span.source_span_id == gold.source_relation.from_span_id

    def test_the_demo_asks_one_question_of_each_kind_with_keys_apart_from_the_labels(self, demo):
        questions = list(Question.objects.filter(project=demo).order_by("id"))

        assert [(q.name, q.kind) for q in questions] == [(q["name"], q["kind"]) for q in DEMO_QUESTIONS]
        assert {q.kind for q in questions} == {"single", "multi", "scale"}
        assert not {q.key for q in questions} & set(demo.labels.values_list("key", flat=True))
        assert [q.name for q in questions if q.required] == ["Primary frame"]

    def test_both_annotators_answer_partly_disagreeing(self, demo):
        def given(username):
            return {
                (a.document.external_id, a.question.name): a.value
                for a in Answer.objects.filter(annotator__username=username).select_related("document", "question")
            }

        anna, ben = given("anna"), given("ben")
        both = anna.keys() & ben.keys()

        assert Answer.objects.filter(document__project=demo).count() == ANSWER_COUNT
        assert any(anna[key] == ben[key] for key in both)
        assert any(anna[key] != ben[key] for key in both)
        assert {name for _, name in both} == {q["name"] for q in DEMO_QUESTIONS}

    def test_answer_reviews_and_gold_answers_show_every_state(self, demo):
        answers = Answer.objects.filter(document__project=demo)
        gold = GoldAnswer.objects.filter(document__project=demo).select_related("source_answer__annotator")

        assert set(answers.values_list("review_status", flat=True)) == set(ReviewStatus.values)
        assert {g.source_answer.annotator.username for g in gold} == {"anna", "ben"}

    def test_suggestions_cover_their_phrases_open_to_everyone_from_recommender_named_sources(self, demo):
        suggestions = list(Suggestion.objects.filter(document__project=demo).select_related("document", "label"))
        made = {
            (s.document.external_id, s.document.text[s.start : s.end], s.label.name, s.score, s.source)
            for s in suggestions
        }

        assert made == {(external_id, *row) for external_id, rows in DEMO_SUGGESTIONS.items() for row in rows}
        assert all(":" in s.source for s in suggestions)
        assert not Suggestion.objects.filter(decisions__isnull=False).exists()

    def test_annas_open_article_cannot_be_submitted_before_its_primary_frame(self, demo):
        anna = get_user_model().objects.get(username="anna")
        document = Document.objects.get(project=demo, external_id="demo-008")

        with pytest.raises(InvalidInput) as refused:
            document_submit(member=access_project(anna, demo.pk), document=document)

        assert refused.value.detail == {"questions": ["Primary frame"]}

    def test_prints_the_sign_in_address_and_a_distinct_password_per_user(self, demo_output):
        passwords = printed_passwords(demo_output)

        assert "http://127.0.0.1:8000/accounts/login/" in demo_output
        assert set(passwords) == set(ROLES)
        assert len(set(passwords.values())) == 4
        for username, password in passwords.items():
            assert get_user_model().objects.get(username=username).check_password(password)

    def test_a_printed_password_gets_a_token_that_lists_the_demo_project(self, demo, demo_output):
        client = APIClient()
        password = printed_passwords(demo_output)["anna"]

        token = client.post("/api/v1/auth/token/", {"username": "anna", "password": password}).json()["token"]
        client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
        response = client.get("/api/v1/projects/")

        assert response.status_code == 200
        assert [project["id"] for project in response.json()["results"]] == [demo.pk]


class TestLoadDemoPasswordFromTheEnvironment:
    def test_every_user_gets_the_password_from_the_environment_when_set(self, db, monkeypatch):
        monkeypatch.setenv("SLANT_DEMO_PASSWORD", "harbour-ledger-2026")

        output = load_demo()

        assert "harbour-ledger-2026" not in output
        for username in ROLES:
            assert get_user_model().objects.get(username=username).check_password("harbour-ledger-2026")

    def test_a_weak_environment_password_is_refused_and_nothing_is_stored(self, db, monkeypatch):
        monkeypatch.setenv("SLANT_DEMO_PASSWORD", "demo")

        with pytest.raises(CommandError, match="SLANT_DEMO_PASSWORD"):
            load_demo()

        assert not get_user_model().objects.exists()
        assert not Project.objects.exists()


class TestLoadDemoOnce:
    def test_a_second_run_with_once_creates_nothing(self, demo):
        before = row_counts()

        output = load_demo("--once")

        assert row_counts() == before
        assert "already loaded" in output
        assert not printed_passwords(output)

    def test_without_once_a_second_copy_is_refused_with_how_to_reset(self, demo):
        before = row_counts()

        with pytest.raises(CommandError, match="--reset"):
            load_demo()

        assert row_counts() == before


class TestLoadDemoReset:
    def test_reset_rebuilds_the_demo_with_new_passwords(self, demo, demo_output):
        old_passwords = printed_passwords(demo_output)

        output = load_demo("--reset")

        [project] = Project.objects.filter(name=DEMO_PROJECT["name"])
        assert project.pk != demo.pk
        assert Span.objects.filter(document__project=project).count() == SPAN_COUNT
        assert Relation.objects.filter(document__project=project).count() == RELATION_COUNT
        assert Answer.objects.filter(document__project=project).count() == ANSWER_COUNT
        assert project.documents.count() == len(ARTICLES)
        new_passwords = printed_passwords(output)
        assert set(new_passwords) == set(ROLES)
        anna = get_user_model().objects.get(username="anna")
        assert anna.check_password(new_passwords["anna"])
        assert not anna.check_password(old_passwords["anna"])

    def test_reset_leaves_other_projects_alone(self, demo, other_project):
        load_demo("--reset")

        assert Project.objects.filter(pk=other_project.pk).exists()
        assert get_user_model().objects.filter(username="outsider").exists()

    def test_a_failed_reset_keeps_the_old_demo(self, demo, demo_output, monkeypatch):
        monkeypatch.setenv("SLANT_DEMO_PASSWORD", "demo")

        with pytest.raises(CommandError):
            load_demo("--reset")

        assert Project.objects.get(name=DEMO_PROJECT["name"]).pk == demo.pk
        assert Span.objects.filter(document__project=demo).count() == SPAN_COUNT
        password = printed_passwords(demo_output)["olga"]
        assert get_user_model().objects.get(username="olga").check_password(password)
