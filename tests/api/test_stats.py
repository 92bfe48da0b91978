import pytest

from annotator.access import access_project
from annotator.models import Role
from annotator.services.documents import document_create_many
from annotator.services.labels import label_create
from annotator.services.members import member_add
from annotator.services.projects import project_create
from tests.arrange import draw
from tests.conftest import url

TEXT = "The envoy said talks would resume. Readers can donate today."


def by(rows, key):
    return sorted(rows, key=lambda row: row[key])


@pytest.fixture
def survey(owner, reviewer, annotator, annotator2):
    """A hand-built project: labels Claim, Appeal and an unused one; two outlets; two annotators on every
    document."""
    project = project_create(user=owner, name="Stats")
    actor = access_project(owner, project.pk)
    member_add(actor=actor, username=reviewer.username, role=Role.REVIEWER)
    member_add(actor=actor, username=annotator.username, role=Role.ANNOTATOR)
    member_add(actor=actor, username=annotator2.username, role=Role.ANNOTATOR)
    labels = {name: label_create(member=actor, name=name) for name in ("Claim", "Appeal", "Unused")}
    documents = document_create_many(
        member=actor,
        items=[
            {"text": TEXT, "source": "Wire One", "external_id": "w1"},
            {"text": TEXT, "source": "Wire One", "external_id": "w2"},
            {"text": TEXT, "source": "Daily Two", "external_id": "d1"},
        ],
    )
    return project, labels, documents


class TestStats:
    def test_counts_documents_spans_annotators_labels_and_sources(self, client_for, reviewer, annotator, annotator2,
                                                                  survey):  # fmt: skip
        project, labels, (wire1, wire2, daily) = survey
        first, second = client_for(annotator), client_for(annotator2)
        draw(annotator, wire1, labels["Claim"], "The envoy said")
        draw(annotator, wire1, labels["Claim"], "talks would resume")
        draw(annotator, wire1, labels["Appeal"], "Readers can donate")
        draw(annotator, daily, labels["Appeal"], "donate today")
        draw(annotator2, wire1, labels["Claim"], "The envoy said")
        assert first.post(url(project, "documents", wire1, "submit")).status_code == 200
        assert second.post(url(project, "documents", wire2, "submit")).status_code == 200
        assert first.post(url(project, "documents", daily, "submit")).status_code == 200

        response = client_for(reviewer).get(url(project, "stats"))

        assert response.status_code == 200, response.json()
        stats = response.json()
        assert set(stats) == {"documents", "spans", "annotators", "labels", "sources"}
        assert (stats["documents"], stats["spans"]) == (3, 5)
        assert by(stats["annotators"], "username") == [
            {"username": "annotator", "assigned": 3, "submitted": 2, "spans": 4},
            {"username": "annotator2", "assigned": 3, "submitted": 1, "spans": 1},
        ]
        assert by(stats["labels"], "label") == [
            {"label": labels["Claim"].pk, "name": "Claim", "spans": 3},
            {"label": labels["Appeal"].pk, "name": "Appeal", "spans": 2},
            {"label": labels["Unused"].pk, "name": "Unused", "spans": 0},
        ]
        size = len(TEXT)
        assert by(stats["sources"], "source") == [
            {"source": "Daily Two", "documents": 1, "characters": size, "spans": 1, "labels": {"Appeal": 1},
             "labels_per_1000_characters": {"Appeal": round(1000 / size, 3)}},
            {"source": "Wire One", "documents": 2, "characters": 2 * size, "spans": 4,
             "labels": {"Claim": 3, "Appeal": 1},
             "labels_per_1000_characters": {"Claim": round(1500 / size, 3), "Appeal": round(500 / size, 3)}},
        ]  # fmt: skip

    def test_a_blind_annotator_counts_only_their_own_work(self, client_for, annotator, annotator2, survey):
        project, labels, (wire1, wire2, _) = survey
        draw(annotator, wire1, labels["Claim"], "The envoy said")
        draw(annotator2, wire1, labels["Appeal"], "Readers can donate")
        assert client_for(annotator2).post(url(project, "documents", wire2, "submit")).status_code == 200

        stats = client_for(annotator).get(url(project, "stats")).json()

        assert stats["annotators"] == [{"username": "annotator", "assigned": 3, "submitted": 0, "spans": 1}]
        assert stats["spans"] == 1
        assert {row["name"]: row["spans"] for row in stats["labels"]} == {"Claim": 1, "Appeal": 0, "Unused": 0}
        assert "annotator2" not in str(stats)

    def test_annotators_who_have_drawn_nothing_are_listed_with_zeros(self, client_for, reviewer, survey):
        project, labels, _ = survey

        response = client_for(reviewer).get(url(project, "stats"))

        assert response.status_code == 200
        assert by(response.json()["annotators"], "username") == [
            {"username": "annotator", "assigned": 3, "submitted": 0, "spans": 0},
            {"username": "annotator2", "assigned": 3, "submitted": 0, "spans": 0},
        ]
        assert response.json()["spans"] == 0
        assert {row["source"]: row["labels"] for row in response.json()["sources"]} == {
            "Wire One": {},
            "Daily Two": {},
        }

    def test_an_empty_project_has_nothing_to_count(self, client_for, owner):
        project = project_create(user=owner, name="Empty")

        response = client_for(owner).get(url(project, "stats"))

        assert response.status_code == 200
        assert response.json() == {"documents": 0, "spans": 0, "annotators": [], "labels": [], "sources": []}

    def test_a_deleted_span_no_longer_counts(self, client_for, annotator, survey):
        project, labels, (wire1, _, _) = survey
        span = draw(annotator, wire1, labels["Claim"], "The envoy said")
        client = client_for(annotator)

        client.delete(url(project, "documents", wire1, "spans", span))

        stats = client.get(url(project, "stats")).json()
        assert stats["spans"] == 0
        assert {row["name"]: row["spans"] for row in stats["labels"]}["Claim"] == 0
