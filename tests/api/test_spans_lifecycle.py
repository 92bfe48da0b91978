import pytest

from annotator.models import ReviewStatus, Span
from tests.arrange import phrase
from tests.conftest import document_url
from tests.factories import ARTICLE


@pytest.fixture
def other_label(project):
    return project.labels.get(name="Diplomatic claim")


def span_url(document, span):
    return document_url(document, "spans", span)


class TestOverlap:
    def test_overlapping_spans_are_allowed(self, post_span, annotator, label, other_label, document):
        first = post_span(annotator, document, label, "spokesman, Ілля Коваль, told")
        second = post_span(annotator, document, other_label, "told reporters on Monday")

        assert first["end"] > second["start"]
        assert Span.objects.filter(document=document).count() == 2

    def test_nested_spans_are_allowed(self, post_span, annotator, label, other_label, document):
        outer = post_span(annotator, document, label, '"We expect a result within weeks," he said')
        inner = post_span(annotator, document, other_label, "a result within weeks")

        assert outer["start"] < inner["start"] < inner["end"] < outer["end"]
        assert Span.objects.filter(document=document).count() == 2

    def test_the_same_range_may_carry_two_labels(self, post_span, annotator, label, other_label, document):
        post_span(annotator, document, label, "told reporters")
        post_span(annotator, document, other_label, "told reporters")

        assert Span.objects.filter(document=document, start=phrase("told reporters")[0]).count() == 2

    def test_two_annotators_may_draw_the_same_span(self, post_span, annotator, annotator2, label, document):
        post_span(annotator, document, label, "told reporters")
        post_span(annotator2, document, label, "told reporters")

        assert set(Span.objects.filter(document=document).values_list("annotator__username", flat=True)) == {
            "annotator",
            "annotator2",
        }


class TestSpanUpdate:
    def test_each_change_raises_the_version_by_one(self, client_for, annotator, document, span, other_label):
        client = client_for(annotator)
        new_start, new_end = phrase("told reporters on Monday")
        steps = [{"label": other_label.pk}, {"end": new_end}, {"start": new_start}, {"note": "the reporting verb"}]

        versions = []
        for version, change in enumerate(steps, start=1):
            response = client.patch(span_url(document, span), {**change, "version": version})
            assert response.status_code == 200, response.json()
            versions.append(response.json()["version"])

        assert versions == [2, 3, 4, 5]
        stored = Span.objects.get(pk=span.pk)
        assert (stored.label_id, stored.start, stored.end, stored.note, stored.version) == (
            other_label.pk,
            new_start,
            new_end,
            "the reporting verb",
            5,
        )
        assert response.json()["text"] == "told reporters on Monday"

    def test_a_stale_version_is_refused_with_the_current_span(self, client_for, annotator, document, span):
        client = client_for(annotator)
        client.patch(span_url(document, span), {"note": "first", "version": 1})

        response = client.patch(span_url(document, span), {"note": "second", "version": 1})

        assert response.status_code == 409
        assert response.json()["version"] == 2
        assert response.json()["note"] == "first"
        assert response.json()["id"] == span.pk
        assert Span.objects.get(pk=span.pk).note == "first"

    def test_if_match_works_like_the_body_version(self, client_for, annotator, document, span):
        client = client_for(annotator)

        accepted = client.patch(span_url(document, span), {"note": "first"}, HTTP_IF_MATCH='"1"')
        stale = client.patch(span_url(document, span), {"note": "second"}, HTTP_IF_MATCH='"1"')

        assert accepted.status_code == 200, accepted.json()
        assert accepted.json()["version"] == 2
        assert stale.status_code == 409
        assert stale.json()["version"] == 2
        assert Span.objects.get(pk=span.pk).note == "first"

    def test_a_patch_without_a_version_is_accepted(self, client_for, annotator, document, span):
        client = client_for(annotator)
        client.patch(span_url(document, span), {"note": "first"})

        response = client.patch(span_url(document, span), {"note": "second"})

        assert response.status_code == 200, response.json()
        assert response.json()["version"] == 3
        assert Span.objects.get(pk=span.pk).note == "second"

    def test_a_changed_range_sends_a_rejected_span_back_to_pending(
        self, client_for, annotator, reviewer, document, span
    ):
        reviews = client_for(reviewer).post(
            span_url(document, span) + "review/", {"decision": "rejected", "comment": "Include the day."}
        )
        assert reviews.status_code == 200, reviews.json()

        response = client_for(annotator).patch(
            span_url(document, span), {"end": phrase("told reporters on Monday")[1], "version": 2}
        )

        assert response.status_code == 200, response.json()
        assert response.json()["review_status"] == "pending"
        assert response.json()["version"] == 3
        assert Span.objects.get(pk=span.pk).review_status == ReviewStatus.PENDING

    def test_a_note_alone_leaves_the_review_standing(self, client_for, annotator, reviewer, document, span):
        client_for(reviewer).post(span_url(document, span) + "review/", {"decision": "rejected"})

        response = client_for(annotator).patch(span_url(document, span), {"note": "I disagree", "version": 2})

        assert response.status_code == 200, response.json()
        assert response.json()["review_status"] == "rejected"

    def test_a_new_range_is_checked_against_the_text(self, client_for, annotator, document, span):
        response = client_for(annotator).patch(span_url(document, span), {"end": len(ARTICLE) + 1})

        assert response.status_code == 400
        assert "end" in response.json()
        assert Span.objects.get(pk=span.pk).version == 1

    @pytest.mark.parametrize("role", ["owner", "reviewer"])
    def test_only_the_spans_annotator_changes_it(self, client_for, request, document, span, role):
        response = client_for(request.getfixturevalue(role)).patch(span_url(document, span), {"note": "mine now"})

        assert response.status_code == 403
        stored = Span.objects.get(pk=span.pk)
        assert (stored.note, stored.version) == ("", 1)

    def test_another_annotator_of_an_open_project_cannot_change_it(
        self, client_for, annotator2, project, document, span
    ):
        project.blind = False
        project.save()

        response = client_for(annotator2).patch(span_url(document, span), {"note": "mine now"})

        assert response.status_code == 403
        assert Span.objects.get(pk=span.pk).note == ""


class TestSpanDelete:
    def test_the_annotator_deletes_with_the_current_version(self, client_for, annotator, document, span):
        response = client_for(annotator).delete(span_url(document, span), {"version": 1})

        assert response.status_code == 204
        assert not Span.objects.filter(pk=span.pk).exists()

    def test_a_stale_version_is_refused_and_the_span_stays(self, client_for, annotator, document, span):
        client = client_for(annotator)
        client.patch(span_url(document, span), {"note": "changed elsewhere"})

        response = client.delete(span_url(document, span), {"version": 1})

        assert response.status_code == 409
        assert response.json()["version"] == 2
        assert Span.objects.filter(pk=span.pk).exists()

    def test_if_match_works_for_delete(self, client_for, annotator, document, span):
        client = client_for(annotator)

        stale = client.delete(span_url(document, span), HTTP_IF_MATCH='"7"')
        current = client.delete(span_url(document, span), HTTP_IF_MATCH='"1"')

        assert stale.status_code == 409
        assert current.status_code == 204
        assert not Span.objects.filter(pk=span.pk).exists()

    def test_a_delete_without_a_version_is_accepted(self, client_for, annotator, document, span):
        response = client_for(annotator).delete(span_url(document, span))

        assert response.status_code == 204
        assert not Span.objects.filter(pk=span.pk).exists()

    @pytest.mark.parametrize("role", ["owner", "reviewer"])
    def test_only_the_spans_annotator_deletes_it(self, client_for, request, document, span, role):
        response = client_for(request.getfixturevalue(role)).delete(span_url(document, span), {"version": 1})

        assert response.status_code == 403
        assert Span.objects.filter(pk=span.pk).exists()
