"""The reviewer's pages through Django's test client: who may open them, and the queue's order."""

import pytest

from annotator.models import Span
from annotator.services.reviews import span_review
from tests.arrange import draw, member_of, submit
from tests.web.arrange import add_documents, signed_in
from tests.web.html import attribute, find, find_all, text, tree


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
        with django_assert_max_num_queries(12) as few:
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
        with django_assert_max_num_queries(14) as few:
            client.get(path)
        for phrase in ("Monday", "talks", "resume", "statement"):
            draw(annotator, contested, "Denial", phrase)

        with django_assert_max_num_queries(len(few.captured_queries)):
            client.get(path)
