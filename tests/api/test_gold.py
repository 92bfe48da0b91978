
from annotator.access import access_project
from annotator.models import GoldSpan
from annotator.services.documents import document_create_many
from tests.conftest import url
from tests.factories import ARTICLE


def body(label, phrase, **extra):
    start = ARTICLE.index(phrase)
    return {"label": label.pk, "start": start, "end": start + len(phrase), **extra}


def gold_url(document, *parts):
    return url(document.project, "documents", document, "gold", *parts)


class TestGoldCreate:
    def test_a_reviewer_draws_a_gold_span_directly(self, client_for, reviewer, document, label):
        response = client_for(reviewer).post(gold_url(document), body(label, "told reporters"))

        assert response.status_code == 201, response.json()
        start = ARTICLE.index("told reporters")
        assert {k: response.json()[k] for k in ("document", "label", "start", "end", "text", "version")} == {
            "document": document.pk,
            "label": label.pk,
            "start": start,
            "end": start + len("told reporters"),
            "text": "told reporters",
            "version": 1,
        }
        assert response.json()["source_span"] is None
        assert response.json()["created_by"] == "reviewer"
        assert GoldSpan.objects.filter(document=document, label=label, start=start).exists()

    def test_the_owner_copies_an_annotators_span(self, client_for, owner, document, span):
        response = client_for(owner).post(gold_url(document), {"from_span": span.pk})

        assert response.status_code == 201, response.json()
        copied = {k: response.json()[k] for k in ("label", "start", "end", "text", "source_span")}
        assert copied == {
            "label": span.label_id,
            "start": span.start,
            "end": span.end,
            "text": "told reporters",
            "source_span": span.pk,
        }
        assert response.json()["created_by"] == "owner"

    def test_the_gold_layer_lists_its_spans(self, client_for, reviewer, document, gold):
        response = client_for(reviewer).get(gold_url(document))

        assert response.status_code == 200
        assert [row["id"] for row in response.json()["results"]] == [gold.pk]

    def test_a_span_of_another_document_is_refused_naming_from_span(self, client_for, owner, reviewer, document, span):
        [other] = document_create_many(
            member=access_project(owner, document.project_id), items=[{"text": ARTICLE, "external_id": "other"}]
        )

        response = client_for(reviewer).post(gold_url(other), {"from_span": span.pk})

        assert response.status_code == 400
        assert "from_span" in response.json()
        assert not GoldSpan.objects.exists()

    def test_a_span_already_in_gold_is_refused(self, client_for, reviewer, document, label, span):
        client = client_for(reviewer)
        first = client.post(gold_url(document), {"from_span": span.pk})

        direct = client.post(gold_url(document), body(label, "told reporters"))
        copied = client.post(gold_url(document), {"from_span": span.pk})

        assert first.status_code == 201, first.json()
        assert (direct.status_code, copied.status_code) == (400, 400)
        assert GoldSpan.objects.filter(document=document).count() == 1

    def test_the_same_range_with_another_label_is_a_different_gold_span(
        self, client_for, reviewer, document, label, project
    ):
        client = client_for(reviewer)
        client.post(gold_url(document), body(label, "told reporters"))

        response = client.post(gold_url(document), body(project.labels.get(name="Diplomatic claim"), "told reporters"))

        assert response.status_code == 201, response.json()
        assert GoldSpan.objects.filter(document=document).count() == 2

    def test_without_from_span_label_start_and_end_are_required(self, client_for, reviewer, document):
        response = client_for(reviewer).post(gold_url(document), {"start": 0})

        assert response.status_code == 400
        assert {"label", "end"} <= set(response.json())

    def test_a_range_beyond_the_text_is_refused_naming_end(self, client_for, reviewer, document, label):
        response = client_for(reviewer).post(gold_url(document), {"label": label.pk, "start": 0, "end": 10_000})

        assert response.status_code == 400
        assert "end" in response.json()

    def test_annotators_get_403(self, client_for, annotator, document, label, gold):
        client = client_for(annotator)

        listed = client.get(gold_url(document))
        created = client.post(gold_url(document), body(label, "told reporters"))

        assert (listed.status_code, created.status_code) == (403, 403)
        assert GoldSpan.objects.count() == 1


class TestGoldUpdate:
    def test_a_change_with_the_current_version_raises_it(self, client_for, reviewer, document, gold, project):
        new_label = project.labels.get(name="Diplomatic claim")

        response = client_for(reviewer).patch(
            gold_url(document, gold.pk), {"label": new_label.pk, "note": "a claim", "version": 1}
        )

        assert response.status_code == 200, response.json()
        assert (response.json()["label"], response.json()["note"], response.json()["version"]) == (
            new_label.pk,
            "a claim",
            2,
        )
        assert GoldSpan.objects.get(pk=gold.pk).version == 2

    def test_a_new_range_changes_the_text(self, client_for, owner, document, gold):
        start = ARTICLE.index("he said in a statement")

        response = client_for(owner).patch(
            gold_url(document, gold.pk), {"end": start + len("he said in a statement")}, HTTP_IF_MATCH='"1"'
        )

        assert response.status_code == 200, response.json()
        assert response.json()["text"] == "he said in a statement"
        assert response.json()["version"] == 2

    def test_a_stale_version_is_refused_with_the_current_gold_span(self, client_for, reviewer, document, gold):
        client = client_for(reviewer)
        client.patch(gold_url(document, gold.pk), {"note": "first", "version": 1})

        response = client.patch(gold_url(document, gold.pk), {"note": "second", "version": 1})

        assert response.status_code == 409
        assert (response.json()["version"], response.json()["note"]) == (2, "first")
        assert GoldSpan.objects.get(pk=gold.pk).note == "first"

    def test_moving_onto_another_gold_span_is_refused(self, client_for, reviewer, document, label, gold):
        client = client_for(reviewer)
        other = client.post(gold_url(document), body(label, "told reporters")).json()

        response = client.patch(gold_url(document, other["id"]), {"start": gold.start, "end": gold.end})

        assert response.status_code == 400
        assert GoldSpan.objects.get(pk=other["id"]).start == other["start"]

    def test_annotators_get_403(self, client_for, annotator, document, gold):
        response = client_for(annotator).patch(gold_url(document, gold.pk), {"note": "mine", "version": 1})

        assert response.status_code == 403
        assert GoldSpan.objects.get(pk=gold.pk).note == ""


class TestGoldDelete:
    def test_a_delete_with_the_current_version_removes_it(self, client_for, reviewer, document, gold):
        response = client_for(reviewer).delete(gold_url(document, gold.pk), {"version": 1})

        assert response.status_code == 204
        assert not GoldSpan.objects.filter(pk=gold.pk).exists()

    def test_a_delete_with_a_stale_version_is_refused(self, client_for, reviewer, owner, document, gold):
        client_for(owner).patch(gold_url(document, gold.pk), {"note": "owner's note"})

        response = client_for(reviewer).delete(gold_url(document, gold.pk), HTTP_IF_MATCH='"1"')

        assert response.status_code == 409
        assert response.json()["version"] == 2
        assert GoldSpan.objects.filter(pk=gold.pk).exists()

    def test_annotators_get_403(self, client_for, annotator, document, gold):
        response = client_for(annotator).delete(gold_url(document, gold.pk), {"version": 1})

        assert response.status_code == 403
        assert GoldSpan.objects.filter(pk=gold.pk).exists()

    def test_deleting_the_copied_span_keeps_the_gold_span(self, client_for, annotator, reviewer, document, span):
        copied = client_for(reviewer).post(gold_url(document), {"from_span": span.pk}).json()

        response = client_for(annotator).delete(url(document.project, "documents", document, "spans", span.pk))

        assert response.status_code == 204
        kept = client_for(reviewer).get(gold_url(document, copied["id"]))
        assert kept.status_code == 200
        assert (kept.json()["text"], kept.json()["source_span"]) == ("told reporters", None)
