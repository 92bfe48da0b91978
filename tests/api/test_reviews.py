import pytest

from annotator.models import ReviewStatus, Span
from tests.conftest import url
from tests.factories import ARTICLE


def review_url(document, span):
    return url(document.project, "documents", document, "spans", span.pk, "review")


def span_url(document, span):
    return url(document.project, "documents", document, "spans", span.pk)


class TestReview:
    def test_a_reviewer_accepts_with_a_comment(self, client_for, reviewer, document, span):
        response = client_for(reviewer).post(
            review_url(document, span), {"decision": "accepted", "comment": "Verb and source both in."}
        )

        assert response.status_code == 200, response.json()
        assert response.json()["review_status"] == "accepted"
        assert response.json()["review_comment"] == "Verb and source both in."
        assert response.json()["reviewer"] == "reviewer"
        assert response.json()["version"] == 2
        stored = Span.objects.get(pk=span.pk)
        assert (stored.review_status, stored.reviewed_by.username, stored.version) == (
            ReviewStatus.ACCEPTED,
            "reviewer",
            2,
        )

    def test_the_owner_rejects_with_a_comment(self, client_for, owner, document, span):
        response = client_for(owner).post(
            review_url(document, span), {"decision": "rejected", "comment": "The source is missing."}
        )

        assert response.status_code == 200, response.json()
        assert response.json()["review_status"] == "rejected"
        assert response.json()["review_comment"] == "The source is missing."
        assert response.json()["reviewer"] == "owner"
        assert response.json()["version"] == 2

    def test_a_comment_is_optional(self, client_for, reviewer, document, span):
        response = client_for(reviewer).post(review_url(document, span), {"decision": "accepted"})

        assert response.status_code == 200, response.json()
        assert response.json()["review_comment"] == ""

    def test_a_second_review_replaces_the_first_and_raises_the_version_again(
        self, client_for, reviewer, owner, document, span
    ):
        client_for(reviewer).post(review_url(document, span), {"decision": "accepted", "comment": "Fine."})

        response = client_for(owner).post(review_url(document, span), {"decision": "rejected", "comment": "No."})

        assert response.status_code == 200, response.json()
        assert (response.json()["review_status"], response.json()["review_comment"]) == ("rejected", "No.")
        assert response.json()["reviewer"] == "owner"
        assert response.json()["version"] == 3

    @pytest.mark.parametrize("decision", ["pending", "approve", "ACCEPTED", ""])
    def test_a_decision_other_than_accepted_or_rejected_is_refused_naming_decision(
        self, client_for, reviewer, document, span, decision
    ):
        response = client_for(reviewer).post(review_url(document, span), {"decision": decision})

        assert response.status_code == 400
        assert "decision" in response.json()
        stored = Span.objects.get(pk=span.pk)
        assert (stored.review_status, stored.version) == (ReviewStatus.PENDING, 1)

    def test_a_review_with_a_stale_version_is_refused(self, client_for, annotator, reviewer, document, span):
        client_for(annotator).patch(span_url(document, span), {"note": "moved on", "version": 1})

        response = client_for(reviewer).post(review_url(document, span), {"decision": "accepted", "version": 1})

        assert response.status_code == 409
        assert response.json()["version"] == 2
        assert Span.objects.get(pk=span.pk).review_status == ReviewStatus.PENDING

    def test_a_review_with_the_current_version_in_if_match_is_accepted(self, client_for, reviewer, document, span):
        response = client_for(reviewer).post(review_url(document, span), {"decision": "accepted"}, HTTP_IF_MATCH='"1"')

        assert response.status_code == 200, response.json()
        assert response.json()["version"] == 2


class TestReviewShown:
    def test_the_annotator_sees_the_review_on_their_span(self, client_for, reviewer, annotator, document, span):
        client_for(reviewer).post(review_url(document, span), {"decision": "rejected", "comment": "Too long."})

        detail = client_for(annotator).get(span_url(document, span))
        listed = client_for(annotator).get(url(document.project, "documents", document, "spans"))

        assert detail.status_code == 200
        for row in (detail.json(), listed.json()["results"][0]):
            assert (row["review_status"], row["review_comment"], row["reviewer"]) == (
                "rejected",
                "Too long.",
                "reviewer",
            )

    def test_an_unreviewed_span_is_pending_with_no_reviewer(self, client_for, annotator, document, span):
        response = client_for(annotator).get(span_url(document, span))

        assert (response.json()["review_status"], response.json()["review_comment"], response.json()["reviewer"]) == (
            "pending",
            "",
            None,
        )

    def test_spans_can_be_listed_by_review_status(self, client_for, reviewer, annotator2, label, document, span):
        start = ARTICLE.index("he said")
        other = client_for(annotator2).post(
            url(document.project, "documents", document, "spans"), {"label": label.pk, "start": start, "end": start + 7}
        )
        client_for(reviewer).post(review_url(document, span), {"decision": "accepted"})

        response = client_for(reviewer).get(
            url(document.project, "documents", document, "spans"), {"review_status": "pending"}
        )

        assert [row["id"] for row in response.json()["results"]] == [other.json()["id"]]
