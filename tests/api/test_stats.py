import random
from unittest.mock import ANY

import pytest

from annotator.access import access_project
from annotator.metrics.suggestions import Item, gold_counts
from annotator.models import Assignment, GoldSpan, Role, Suggestion
from annotator.services.assignments import assignment_delete
from annotator.services.documents import document_create_many
from annotator.services.labels import label_create
from annotator.services.members import member_add
from annotator.services.projects import project_create
from annotator.services.spans import span_create
from tests.arrange import accept, answer, draw, draw_gold, make_question, member_of, reject, relate, suggest
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
        assert set(stats) == {
            "documents",
            "spans",
            "annotators",
            "labels",
            "sources",
            "questions",
            "suggestions",
            "computed_at",
            "stale",
        }
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
            "suggestions": [],
            "computed_at": ANY,
            "stale": False,
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


def suggestion_rows(client, project):
    """The stats' `suggestions` block, by source."""
    response = client.get(url(project, "stats"))
    assert response.status_code == 200, response.json()
    return {row["source"]: row for row in response.json()["suggestions"]}


NO_GOLD = {"documents": 0, "spans": 0, "suggestions": 0, "matches": 0}


class TestSuggestionStats:
    @pytest.fixture
    def open_survey(self, owner, survey):
        """The survey, not blind."""
        project = survey[0]
        project.blind = False
        project.save(update_fields=["blind"])
        return survey

    def test_each_source_counts_its_suggestions_the_decisions_on_them_and_those_nobody_decided(
        self, client_for, owner, reviewer, annotator, annotator2, survey
    ):
        project, _, (wire1, wire2, daily) = survey
        envoy = suggest(owner, wire1, "Claim", "The envoy said")
        talks = suggest(owner, wire1, "Claim", "talks would resume")
        readers = suggest(owner, wire1, "Appeal", "Readers can donate")
        suggest(owner, daily, "Appeal", "donate today")
        model = suggest(owner, wire2, "Claim", "The envoy said", source="http:model")
        suggest(owner, wire2, "Appeal", "Readers can donate", source="http:model")
        accept(annotator, envoy)
        accept(annotator2, envoy)
        reject(annotator, talks)
        accept(annotator2, readers)
        reject(reviewer, model)

        rows = suggestion_rows(client_for(reviewer), project)

        assert list(rows) == ["http:model", "lexicon:cues"]
        assert rows["lexicon:cues"] == {
            "source": "lexicon:cues", "suggested": 4, "documents": 2, "accepted": 3, "rejected": 1, "open": 1,
            "acceptance_rate": 0.75,
            "users": [{"username": "annotator", "accepted": 1, "rejected": 1},
                      {"username": "annotator2", "accepted": 2, "rejected": 0}],
            "gold": NO_GOLD, "precision": None, "recall": None,
        }  # fmt: skip
        assert rows["http:model"] == {
            "source": "http:model", "suggested": 2, "documents": 1, "accepted": 0, "rejected": 1, "open": 1,
            "acceptance_rate": 0.0, "users": [{"username": "reviewer", "accepted": 0, "rejected": 1}],
            "gold": NO_GOLD, "precision": None, "recall": None,
        }  # fmt: skip

    def test_a_source_nobody_has_decided_on_has_no_acceptance_rate(self, client_for, owner, survey):
        project, _, (wire1, _, _) = survey
        suggest(owner, wire1, "Claim", "The envoy said")

        row = suggestion_rows(client_for(owner), project)["lexicon:cues"]

        assert (row["suggested"], row["open"], row["accepted"], row["rejected"]) == (1, 1, 0, 0)
        assert (row["acceptance_rate"], row["users"]) == (None, [])

    def test_precision_and_recall_judge_each_source_on_the_documents_with_gold(
        self, client_for, owner, reviewer, survey
    ):
        project, _, (wire1, wire2, daily) = survey
        draw_gold(reviewer, wire1, "Claim", "The envoy said")
        draw_gold(reviewer, wire1, "Appeal", "Readers can donate")
        draw_gold(reviewer, daily, "Appeal", "Readers can donate")
        suggest(owner, wire1, "Claim", "The envoy said")  # matches
        suggest(owner, wire1, "Claim", "talks would resume")  # not gold
        suggest(owner, wire1, "Claim", "Readers can donate")  # the gold's words, another label
        suggest(owner, wire2, "Claim", "The envoy said")  # no gold on wire2: not judged
        suggest(owner, daily, "Appeal", "Readers can donate", source="http:model")  # matches

        rows = suggestion_rows(client_for(reviewer), project)

        lexicon, model = rows["lexicon:cues"], rows["http:model"]
        assert lexicon["gold"] == {"documents": 2, "spans": 3, "suggestions": 3, "matches": 1}
        assert (lexicon["precision"], lexicon["recall"]) == (pytest.approx(1 / 3), pytest.approx(1 / 3))
        # Recall counts wire1's gold too, where this source suggested nothing.
        assert model["gold"] == {"documents": 2, "spans": 3, "suggestions": 1, "matches": 1}
        assert (model["precision"], model["recall"]) == (1.0, pytest.approx(1 / 3))

    def test_a_source_with_nothing_on_the_gold_documents_has_no_precision_and_zero_recall(
        self, client_for, owner, reviewer, survey
    ):
        project, _, (wire1, wire2, _) = survey
        draw_gold(reviewer, wire1, "Claim", "The envoy said")
        suggest(owner, wire2, "Claim", "The envoy said")

        row = suggestion_rows(client_for(owner), project)["lexicon:cues"]

        assert row["gold"] == {"documents": 1, "spans": 1, "suggestions": 0, "matches": 0}
        assert (row["precision"], row["recall"]) == (None, 0.0)

    def test_the_database_counts_as_the_metric_defines_on_random_data(self, client_for, owner, reviewer, survey):
        project, labels, documents = survey
        rng = random.Random(16)
        words = [(m, m + len(w)) for m, w in ((TEXT.index(w), w) for w in TEXT.split())]
        names = ["Claim", "Appeal"]

        def spans(n):
            """`n` random (document, label, start, end) over one to three words."""
            picked = set()
            for _ in range(n):
                first = rng.randrange(len(words))
                last = min(len(words) - 1, first + rng.randrange(3))
                document = rng.choice(documents[:2])  # the third has no gold: never judged
                picked.add((document, rng.choice(names), words[first][0], words[last][1]))
            return picked

        gold = spans(8)
        GoldSpan.objects.bulk_create(
            GoldSpan(document=d, label=labels[name], start=start, end=end) for d, name, start, end in gold
        )
        ordered = sorted(gold, key=lambda g: (g[0].pk, *g[1:]))
        # Some of the gold, some random spans (a few of them gold by chance) and one on a document without gold.
        made = {
            source: set(rng.sample(ordered, n)) | spans(12) | {(documents[2], "Claim", 0, 3)}
            for source, n in (("a", 3), ("b", 6))
        }
        Suggestion.objects.bulk_create(
            Suggestion(document=d, label=labels[name], start=start, end=end, source=source)
            for source, picked in made.items()
            for d, name, start, end in picked
        )

        rows = suggestion_rows(client_for(reviewer), project)

        def item(d, name, start, end):
            return Item(d.pk, name, start, end)

        for source, picked in made.items():
            expected = gold_counts([item(*s) for s in picked], [item(*g) for g in gold])
            assert rows[source]["gold"] == expected
            assert expected["matches"] >= 3
            assert rows[source]["suggested"] == len(picked)
            assert rows[source]["precision"] == pytest.approx(expected["matches"] / expected["suggestions"])
            assert rows[source]["recall"] == pytest.approx(expected["matches"] / expected["spans"])

    def test_annotators_get_the_counts_but_no_gold_figures(self, client_for, owner, reviewer, annotator,
                                                          annotator2, open_survey):  # fmt: skip
        project, _, (wire1, _, _) = open_survey
        draw_gold(reviewer, wire1, "Claim", "The envoy said")
        envoy = suggest(owner, wire1, "Claim", "The envoy said")
        accept(annotator2, envoy)

        row = suggestion_rows(client_for(annotator), project)["lexicon:cues"]

        # Not blind: everyone's decisions, as everyone's spans.
        assert (row["accepted"], row["open"], row["users"]) == (
            1,
            0,
            [{"username": "annotator2", "accepted": 1, "rejected": 0}],
        )
        assert (row["gold"], row["precision"], row["recall"]) == (None, None, None)

    def test_a_blind_annotator_counts_the_suggestions_on_their_documents_and_their_own_decisions(
        self, client_for, owner, annotator, annotator2, survey
    ):
        project, _, (wire1, _, daily) = survey
        envoy = suggest(owner, wire1, "Claim", "The envoy said")
        talks = suggest(owner, wire1, "Claim", "talks would resume")
        on_daily = suggest(owner, daily, "Appeal", "donate today")
        accept(annotator2, envoy)
        reject(annotator, talks)
        reject(annotator, on_daily)
        # Daily Two is then taken off the annotator's queue: its suggestion and their decision on it leave their
        # figures.
        assignment = Assignment.objects.get(document=daily, user=annotator)
        assignment_delete(actor=member_of(owner, project), assignment=assignment)

        response = client_for(annotator).get(url(project, "stats"))

        [row] = response.json()["suggestions"]
        assert row == {
            "source": "lexicon:cues", "suggested": 2, "documents": 1, "accepted": 0, "rejected": 1,
            "open": 1,  # envoy: annotator2 accepted it, this annotator has not decided
            "acceptance_rate": 0.0, "users": [{"username": "annotator", "accepted": 0, "rejected": 1}],
            "gold": None, "precision": None, "recall": None,
        }  # fmt: skip
        assert "annotator2" not in response.content.decode()

    def test_an_accepted_suggestion_stays_accepted_when_its_span_is_deleted(self, client_for, owner, annotator,
                                                                           survey):  # fmt: skip
        project, _, (wire1, _, _) = survey
        span = accept(annotator, suggest(owner, wire1, "Claim", "The envoy said"))
        client = client_for(annotator)
        assert client.delete(url(project, "documents", wire1, "spans", span)).status_code == 204

        row = suggestion_rows(client, project)["lexicon:cues"]

        assert (row["accepted"], row["open"]) == (1, 0)

    def test_a_deleted_suggestion_no_longer_counts(self, client_for, owner, annotator, survey):
        project, _, (wire1, _, _) = survey
        envoy = suggest(owner, wire1, "Claim", "The envoy said")
        suggest(owner, wire1, "Claim", "talks would resume")
        accept(annotator, envoy)
        client = client_for(owner)
        assert client.delete(url(project, "documents", wire1, "suggestions", envoy)).status_code == 204

        row = suggestion_rows(client, project)["lexicon:cues"]

        assert (row["suggested"], row["accepted"], row["open"], row["users"]) == (1, 0, 1, [])
