"""Races over real HTTP: threads released together by a barrier against a live server, one connection each.

Runs on SQLite (a file test database in WAL mode, IMMEDIATE transactions) and on PostgreSQL alike.
"""

import json

import pytest
from rest_framework.authtoken.models import Token

from annotator.models import Answer, Assignment, AuditEvent, Document, Relation, ReviewStatus, Span
from tests.arrange import answer, draw, make_question, make_relation_type
from tests.conftest import url

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def tokens(owner, reviewer, annotator, annotator2):
    """Token keys made up front, so the racing threads only read."""
    return {
        user.username: Token.objects.get_or_create(user=user)[0].key
        for user in (owner, reviewer, annotator, annotator2)
    }


def span_url(span):
    return url(span.document.project, "documents", span.document, "spans", span)


class TestRacingEdits:
    def test_sixteen_edits_of_one_version_leave_exactly_one_winner(self, api, tokens, span):
        def edit(index):
            def job(send):
                if index % 2:
                    return send(
                        "PATCH", span_url(span), tokens["annotator"], {"note": f"edit {index}"}, {"If-Match": '"1"'}
                    )
                return send("PATCH", span_url(span), tokens["annotator"], {"note": f"edit {index}", "version": 1})

            return job

        results = api.race([edit(i) for i in range(16)])

        statuses = sorted(status for status, _ in results)
        assert statuses == [200] + [409] * 15, results
        [winner] = [body for status, body in results if status == 200]
        assert winner["version"] == 2
        for status, body in results:
            if status == 409:
                assert "detail" in body
                assert body["id"] == span.pk
                assert body["version"] == 2
                assert body["note"] == winner["note"]
        stored = Span.objects.get(pk=span.pk)
        assert stored.version == 2
        assert stored.note == winner["note"]
        assert AuditEvent.objects.filter(action="span.update", object_id=span.pk).count() == 1

    def test_racing_deletes_of_one_span_delete_it_once(self, api, tokens, span):
        def delete(send):
            return send("DELETE", span_url(span), tokens["annotator"], headers={"If-Match": '"1"'})

        results = api.race([delete] * 8)

        statuses = sorted(status for status, _ in results)
        assert statuses == [204] + [404] * 7, results
        assert not Span.objects.filter(pk=span.pk).exists()
        assert AuditEvent.objects.filter(action="span.delete", object_id=span.pk).count() == 1

    def test_an_edit_racing_a_review_of_the_same_version_has_one_winner(self, api, tokens, span):
        def edit(send):
            return send("PATCH", span_url(span), tokens["annotator"], {"note": "mine", "version": 1})

        def review(send):
            return send(
                "POST",
                span_url(span) + "review/",
                tokens["reviewer"],
                {"decision": "accepted", "version": 1},
            )

        results = api.race([edit, review] * 4)

        statuses = sorted(status for status, _ in results)
        assert statuses == [200] + [409] * 7, results
        stored = Span.objects.get(pk=span.pk)
        assert stored.version == 2
        events = AuditEvent.objects.filter(object_type="span", object_id=span.pk).exclude(action="span.create")
        assert events.count() == 1


class TestStaleVersions:
    def test_a_stale_patch_gets_the_current_span_and_changes_nothing(self, api, tokens, span):
        assert api.call("PATCH", span_url(span), tokens["annotator"], {"note": "first", "version": 1})[0] == 200

        status, body = api.call(
            "PATCH", span_url(span), tokens["annotator"], {"note": "second", "end": span.end - 1, "version": 1}
        )

        assert status == 409
        assert body["detail"]
        assert body["version"] == 2
        assert body["note"] == "first"
        stored = Span.objects.get(pk=span.pk)
        assert (stored.version, stored.note, stored.end) == (2, "first", span.end)
        assert AuditEvent.objects.filter(action="span.update", object_id=span.pk).count() == 1

    def test_a_stale_if_match_on_delete_gets_the_current_span_and_keeps_it(self, api, tokens, span):
        assert api.call("PATCH", span_url(span), tokens["annotator"], {"note": "first"}, {"If-Match": '"1"'})[0] == 200

        status, body = api.call("DELETE", span_url(span), tokens["annotator"], headers={"If-Match": '"1"'})

        assert status == 409
        assert body["detail"]
        assert (body["id"], body["version"], body["note"]) == (span.pk, 2, "first")
        assert Span.objects.filter(pk=span.pk, version=2).exists()
        assert not AuditEvent.objects.filter(action="span.delete").exists()

    def test_a_stale_version_in_the_delete_body_is_refused_too(self, api, tokens, span):
        assert api.call("PATCH", span_url(span), tokens["annotator"], {"note": "first", "version": 1})[0] == 200

        status, body = api.call("DELETE", span_url(span), tokens["annotator"], {"version": 1})

        assert status == 409
        assert body["version"] == 2
        assert Span.objects.filter(pk=span.pk).exists()

    def test_a_review_raises_the_version_so_an_edit_from_before_it_is_stale(self, api, tokens, span):
        status, reviewed = api.call("POST", span_url(span) + "review/", tokens["reviewer"], {"decision": "accepted"})
        assert status == 200
        assert reviewed["version"] == 2

        status, body = api.call("PATCH", span_url(span), tokens["annotator"], {"note": "late", "version": 1})

        assert status == 409
        assert body["version"] == 2
        assert body["review_status"] == ReviewStatus.ACCEPTED
        stored = Span.objects.get(pk=span.pk)
        assert (stored.version, stored.note, stored.review_status) == (2, "", ReviewStatus.ACCEPTED)

    def test_the_current_version_is_accepted_after_a_conflict(self, api, tokens, span):
        api.call("PATCH", span_url(span), tokens["annotator"], {"note": "first", "version": 1})
        status, current = api.call("PATCH", span_url(span), tokens["annotator"], {"note": "second", "version": 1})
        assert status == 409

        status, body = api.call(
            "PATCH", span_url(span), tokens["annotator"], {"note": "second"}, {"If-Match": f'"{current["version"]}"'}
        )

        assert status == 200
        assert (body["note"], body["version"]) == ("second", 3)


class TestRacingCreates:
    def test_two_annotators_drawing_eighty_spans_at_once_lose_none(self, api, tokens, document, label):
        spans_url = url(document.project, "documents", document, "spans")

        def draw(username, thread):
            def job(send):
                answers = []
                for i in range(10):
                    start = thread * 10 + i
                    body = {"label": label.pk, "start": start, "end": start + 5, "note": f"{username} {thread}.{i}"}
                    answers.append(send("POST", spans_url, tokens[username], body))
                return answers

            return job

        jobs = [draw("annotator" if thread % 2 else "annotator2", thread) for thread in range(8)]

        results = [answer for answers in api.race(jobs) for answer in answers]

        assert [status for status, _ in results] == [201] * 80, [r for r in results if r[0] != 201][:3]
        ids = {body["id"] for _, body in results}
        assert len(ids) == 80
        assert set(Span.objects.filter(document=document).values_list("id", flat=True)) == ids
        assert Span.objects.filter(document=document, annotator__username="annotator").count() == 40
        assert set(AuditEvent.objects.filter(action="span.create").values_list("object_id", flat=True)) == ids
        assert AuditEvent.objects.filter(action="span.create").count() == 80
        assert not Assignment.objects.filter(document=document, status="assigned").exists()

    def test_racing_document_posts_store_every_document_and_assign_each(self, api, tokens, project):
        documents_url = url(project, "documents")

        def post(thread):
            def job(send):
                body = [{"text": f"Article {thread}.{i} text.", "external_id": f"t{thread}-{i}"} for i in range(5)]
                return send("POST", documents_url, tokens["owner"], body)

            return job

        results = api.race([post(thread) for thread in range(8)])

        assert [status for status, _ in results] == [201] * 8, results
        ids = {doc["id"] for _, body in results for doc in body}
        assert len(ids) == 40
        assert set(Document.objects.filter(project=project).values_list("id", flat=True)) == ids
        assert AuditEvent.objects.filter(action="document.create").count() == 40
        for document_id in ids:
            assert Assignment.objects.filter(document_id=document_id).count() == project.annotators_per_document

    def test_racing_posts_of_one_external_id_store_it_once(self, api, tokens, project):
        documents_url = url(project, "documents")

        def post(thread):
            def job(send):
                body = {"text": f"Version {thread} of the article.", "external_id": "same-story"}
                return send("POST", documents_url, tokens["owner"], body)

            return job

        results = api.race([post(thread) for thread in range(8)])

        statuses = sorted(status for status, _ in results)
        assert statuses[0] == 201
        assert statuses[1:] and all(status in (400, 409) for status in statuses[1:]), results
        assert statuses.count(201) == 1
        for status, body in results:
            if status != 201:
                assert "external_id" in json.dumps(body) or "detail" in body
        assert Document.objects.filter(project=project, external_id="same-story").count() == 1
        assert AuditEvent.objects.filter(action="document.create").count() == 1


class TestRacingRelations:
    def test_eight_posts_of_one_relation_store_it_once(self, api, tokens, owner, annotator, document, span):
        says = make_relation_type(owner, document.project, "Says")
        claim = draw(annotator, document, "Diplomatic claim", "talks would resume")
        body = {"type": says.pk, "from_span": span.pk, "to_span": claim.pk}

        def post(send):
            return send("POST", url(document.project, "documents", document, "relations"), tokens["annotator"], body)

        results = api.race([post] * 8)

        statuses = sorted(status for status, _ in results)
        assert statuses == [201] + [409] * 7, results
        [relation] = Relation.objects.all()
        assert all(body["id"] == relation.pk for status, body in results if status == 409 and "id" in body)
        assert AuditEvent.objects.filter(action="relation.create").count() == 1

    def test_relations_drawn_to_a_span_while_it_is_deleted_never_outlive_it_unrecorded(
        self, api, tokens, owner, annotator, document, span
    ):
        says = make_relation_type(owner, document.project, "Says")
        sources = [draw(annotator, document, "Official statement", words) for words in ("Monday", "talks", "weeks")]
        relations_url = url(document.project, "documents", document, "relations")

        def relate_from(source):
            def job(send):
                return send("POST", relations_url, tokens["annotator"], {"type": says.pk, "from_span": source.pk,
                                                                        "to_span": span.pk})  # fmt: skip

            return job

        def delete(send):
            return send("DELETE", span_url(span), tokens["annotator"])

        results = api.race([delete, *(relate_from(source) for source in sources)])

        assert {status for status, _ in results} <= {201, 204, 400, 409}, results
        made = set(AuditEvent.objects.filter(action="relation.create").values_list("object_id", flat=True))
        gone = set(AuditEvent.objects.filter(action="relation.delete").values_list("object_id", flat=True))
        kept = set(Relation.objects.values_list("id", flat=True))
        assert made == kept | gone
        assert not kept & gone
        if Span.objects.filter(pk=span.pk).exists():
            assert results[0][0] == 409
        else:
            assert not kept


class TestRacingAnswers:
    def test_eight_posts_of_one_answer_store_it_once(self, api, tokens, owner, document):
        tone = make_question(owner, document.project, "Tone")

        def post(send):
            return send("POST", url(document.project, "documents", document, "answers"), tokens["annotator"],
                        {"question": tone.pk, "value": "pro"})  # fmt: skip

        results = api.race([post] * 8)

        statuses = sorted(status for status, _ in results)
        assert statuses == [201] + [409] * 7, results
        [given] = Answer.objects.all()
        assert all(body["id"] == given.pk for status, body in results if status == 409 and "id" in body)
        assert AuditEvent.objects.filter(action="answer.create").count() == 1

    def test_eight_changes_from_one_version_leave_exactly_one_winner(self, api, tokens, owner, annotator, document):
        tone = make_question(owner, document.project, "Tone", options=[f"option {n}" for n in range(8)])
        given = answer(annotator, document, tone, "option 0")
        path = url(document.project, "documents", document, "answers", given)

        def change(n):
            def job(send):
                return send("PATCH", path, tokens["annotator"], {"value": f"option {n}", "version": 1})

            return job

        results = api.race([change(n) for n in range(8)])

        statuses = sorted(status for status, _ in results)
        assert statuses == [200] + [409] * 7, results
        [winner] = [body for status, body in results if status == 200]
        assert Answer.objects.get(pk=given.pk).value == winner["value"]
        assert AuditEvent.objects.filter(action="answer.update").count() == 1
