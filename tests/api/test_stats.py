import pytest

from annotator.access import access_project
from annotator.models import Role
from annotator.services.documents import document_create_many
from annotator.services.labels import label_create
from annotator.services.members import member_add
from annotator.services.projects import project_create
from annotator.services.spans import span_create
from tests.arrange import answer, draw, make_question, relate
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
        assert set(stats) == {"documents", "spans", "annotators", "labels", "sources", "questions"}
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
             "labels_per_1000_characters": {"Appeal": round(1000 / size, 3)}, "attributions": 0, "quoted": []},
            {"source": "Wire One", "documents": 2, "characters": 2 * size, "spans": 4,
             "labels": {"Claim": 3, "Appeal": 1},
             "labels_per_1000_characters": {"Claim": round(1500 / size, 3), "Appeal": round(500 / size, 3)},
             "attributions": 0, "quoted": []},
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
        assert response.json() == {
            "documents": 0,
            "spans": 0,
            "annotators": [],
            "labels": [],
            "sources": [],
            "questions": [],
        }

    def test_a_deleted_span_no_longer_counts(self, client_for, annotator, survey):
        project, labels, (wire1, _, _) = survey
        span = draw(annotator, wire1, labels["Claim"], "The envoy said")
        client = client_for(annotator)

        client.delete(url(project, "documents", wire1, "spans", span))

        stats = client.get(url(project, "stats")).json()
        assert stats["spans"] == 0
        assert {row["name"]: row["spans"] for row in stats["labels"]}["Claim"] == 0


def values(rows):
    """{value: answers} of a stats `values` list, keeping its order."""
    return [(row["value"], row["answers"]) for row in rows]


class TestQuestionStats:
    @pytest.fixture
    def asked(self, owner, survey):
        project, _, _ = survey
        return {
            "tone": make_question(owner, project, "Tone"),
            "frames": make_question(owner, project, "Frames", "multi", options=["Economic", "Political", "Legal"]),
            "slant": make_question(owner, project, "Slant", "scale", min=-1, max=1),
        }

    def test_each_question_counts_each_value_overall_and_per_outlet(self, client_for, reviewer, annotator,
                                                                  annotator2, survey, asked):  # fmt: skip
        project, _, (wire1, wire2, daily) = survey
        answer(annotator, wire1, asked["tone"], "pro")
        answer(annotator2, wire1, asked["tone"], "anti")
        answer(annotator, wire2, asked["tone"], "pro")
        answer(annotator, daily, asked["tone"], "neutral")
        answer(annotator, wire1, asked["frames"], ["Economic", "Legal"])
        answer(annotator2, daily, asked["frames"], ["Legal"])
        answer(annotator, daily, asked["slant"], 1)

        stats = client_for(reviewer).get(url(project, "stats")).json()

        tone, frames, slant = stats["questions"]
        assert (tone["question"], tone["name"], tone["kind"], tone["answers"]) == (
            asked["tone"].pk,
            "Tone",
            "single",
            4,
        )
        assert values(tone["values"]) == [("pro", 2), ("neutral", 1), ("anti", 1)]
        assert [(row["source"], row["answers"], values(row["values"])) for row in tone["sources"]] == [
            ("Daily Two", 1, [("pro", 0), ("neutral", 1), ("anti", 0)]),
            ("Wire One", 3, [("pro", 2), ("neutral", 0), ("anti", 1)]),
        ]
        assert (frames["answers"], values(frames["values"])) == (2, [("Economic", 1), ("Political", 0), ("Legal", 2)])
        assert (slant["answers"], values(slant["values"])) == (1, [(-1, 0), (0, 0), (1, 1)])
        assert [row["source"] for row in slant["sources"]] == ["Daily Two"]

    def test_a_blind_annotator_counts_only_their_own_answers(self, client_for, annotator, annotator2, survey, asked):
        project, _, (wire1, _, _) = survey
        answer(annotator, wire1, asked["tone"], "pro")
        answer(annotator2, wire1, asked["tone"], "anti")

        stats = client_for(annotator).get(url(project, "stats")).json()

        assert values(stats["questions"][0]["values"]) == [("pro", 1), ("neutral", 0), ("anti", 0)]


QUOTES = "Peskov told reporters the talks would resume. Lavrov said so too. Peskov added that nothing had changed."


def span_over(user, document, label, start, text):
    member = access_project(user, document.project_id)
    label_id = document.project.labels.get(name=label).pk
    return span_create(member=member, document=document, label=label_id, start=start, end=start + len(text))


class TestAttributionPicture:
    @pytest.fixture
    def parc(self, owner, annotator, annotator2):
        """An `attribution` project: two outlets, both annotators on every document."""
        project = project_create(user=owner, name="PARC", label_preset="attribution", blind=False)
        actor = access_project(owner, project.pk)
        for user in (annotator, annotator2):
            member_add(actor=actor, username=user.username, role=Role.ANNOTATOR)
        items = [{"text": QUOTES, "source": "Wire One"}, {"text": QUOTES, "source": "Daily Two"}]
        return project, document_create_many(member=actor, items=items)

    def attribute(self, user, document, cue, source, *, content=None):
        """`user`'s cue over `cue` with a source relation to the last `source` before it (and a content relation
        to `content`)."""
        project = document.project
        cue_span = span_over(user, document, "Cue", QUOTES.index(cue), cue)
        source_span = span_over(user, document, "Source", QUOTES.rindex(source, 0, QUOTES.index(cue)), source)
        relate(user, project.relation_types.get(name="source"), cue_span, source_span)
        if content:
            relate(user, project.relation_types.get(name="content"), cue_span, draw(user, document, "Content", content))
        return cue_span

    def test_each_outlet_counts_its_cues_with_a_source_and_names_the_most_quoted(self, client_for, owner, parc,
                                                                                annotator, annotator2):  # fmt: skip
        project, (wire, daily) = parc
        self.attribute(annotator, wire, "told reporters", "Peskov", content="the talks would resume")
        self.attribute(annotator, wire, "said so too", "Lavrov")
        self.attribute(annotator, wire, "added", "Peskov")
        self.attribute(annotator2, wire, "told reporters", "Peskov")
        self.attribute(annotator2, daily, "said so too", "Lavrov")
        # A content relation alone is no attribution.
        cue = draw(annotator2, daily, "Cue", "added")
        relate(
            annotator2,
            project.relation_types.get(name="content"),
            cue,
            draw(annotator2, daily, "Content", "nothing had changed"),
        )

        stats = client_for(owner).get(url(project, "stats")).json()

        rows = {row["source"]: row for row in stats["sources"]}
        assert rows["Wire One"]["attributions"] == 4
        assert rows["Wire One"]["quoted"] == [
            {"text": "Peskov", "attributions": 3},
            {"text": "Lavrov", "attributions": 1},
        ]
        assert rows["Daily Two"]["attributions"] == 1
        assert rows["Daily Two"]["quoted"] == [{"text": "Lavrov", "attributions": 1}]

    def test_a_cue_naming_two_sources_is_one_attribution(self, client_for, owner, parc, annotator):
        project, (wire, _) = parc
        cue = self.attribute(annotator, wire, "told reporters", "Peskov")
        lavrov = span_over(annotator, wire, "Source", QUOTES.index("Lavrov"), "Lavrov")
        relate(annotator, project.relation_types.get(name="source"), cue, lavrov)

        row = {r["source"]: r for r in client_for(owner).get(url(project, "stats")).json()["sources"]}["Wire One"]

        assert row["attributions"] == 1
        assert row["quoted"] == [{"text": "Lavrov", "attributions": 1}, {"text": "Peskov", "attributions": 1}]

    def test_a_blind_annotator_sees_only_their_own_attributions(self, client_for, parc, annotator, annotator2):
        project, (wire, _) = parc
        project.blind = True
        project.save(update_fields=["blind"])
        self.attribute(annotator, wire, "told reporters", "Peskov")
        self.attribute(annotator2, wire, "said so too", "Lavrov")

        row = {r["source"]: r for r in client_for(annotator).get(url(project, "stats")).json()["sources"]}["Wire One"]

        assert (row["attributions"], row["quoted"]) == (1, [{"text": "Peskov", "attributions": 1}])
