"""The cached figures (issue 18): per-document agreement sums stored by the refresh job and pooled into exactly the
figures computed directly; every writer marks them for a refresh; a refresh recomputes only what changed; a
failed one leaves the old figures served, marked stale."""

import itertools
import json
import random
from datetime import timedelta

import pytest
from django.db import transaction
from django.db.models.functions import Now

from annotator.access import access_project
from annotator.choices import Role
from annotator.models import Assignment, DocumentFigures, FiguresBlock, Project, ProjectFigures
from annotator.selectors.agreement import project_agreement
from annotator.selectors.figures import cached_agreement
from annotator.selectors.stats import project_stats
from annotator.services.answers import answer_delete, answer_update
from annotator.services.assignments import assignment_create, assignment_delete
from annotator.services.documents import document_create_many, document_delete
from annotator.services.figures import figures_agreement, figures_refresh
from annotator.services.imports import import_file
from annotator.services.labels import label_create, label_merge, label_update
from annotator.services.members import member_add
from annotator.services.relations import relation_delete
from annotator.services.spans import span_delete, span_update
from tests.arrange import (
    accept,
    answer,
    draw_gold,
    make_question,
    make_relation_type,
    member_of,
    reject,
    relate,
    submit,
    suggest,
)
from tests.factories import ARTICLE, UserFactory
from tests.jobs import work_off

WORDS = "The envoy said talks would resume after the ceasefire held for a week, officials told reporters on Monday."


def roundtrip(data):
    return json.loads(json.dumps(data))


def without_times(figures):
    return {key: value for key, value in figures.items() if key not in ("computed_at", "stale")}


def random_span(rng, document, labels):
    start = rng.randrange(len(document.text) - 1)
    end = rng.randrange(start + 1, min(len(document.text), start + 30) + 1)
    return {"label": rng.choice(labels).pk, "start": start, "end": end}


@pytest.fixture
def refresh_now(settings):
    """Refreshes run as soon as they are queued (no batching delay), so work_off() runs them."""
    settings.SLANT_FIGURES_DELAY_SECONDS = 0


def build_random(rng, project, owner, annotators, documents=6):
    """Random spans, relations and answers by `annotators` on `documents` documents, some submitted."""
    from annotator.services.spans import span_create

    labels = list(project.labels.order_by("id")[:3])
    says = make_relation_type(owner, project)
    tone = make_question(owner, project)
    frames = make_question(owner, project, name="Frames", kind="multi", options=["a", "b", "c"])
    docs = document_create_many(
        member=access_project(owner, project.pk),
        items=[{"text": WORDS if i % 2 else ARTICLE, "external_id": f"r{i}"} for i in range(documents)],
    )
    for document in docs:
        for user in annotators:
            if not Assignment.objects.filter(document=document, user=user).exists():
                continue
            member = member_of(user, project)
            spans = []
            for _ in range(rng.randrange(0, 6)):
                try:
                    spans.append(span_create(member=member, document=document, **random_span(rng, document, labels)))
                except Exception:  # noqa: BLE001, S112 - a random duplicate is refused; skip it
                    continue
            if len(spans) >= 2 and rng.random() < 0.7:
                relate(user, says, spans[0], spans[1])
            if rng.random() < 0.8:
                answer(user, document, tone, rng.choice(["pro", "neutral", "anti"]))
            if rng.random() < 0.6:
                answer(user, document, frames, rng.sample(["a", "b", "c"], rng.randrange(1, 4)))
            if rng.random() < 0.8:
                submit(user, document)
    return docs


@pytest.fixture
def three_way(project, owner, annotator, annotator2):
    """`project` with three annotators on every document."""
    Project.objects.filter(pk=project.pk).update(annotators_per_document=3)
    third = UserFactory(username="annotator3")
    member_add(actor=access_project(owner, project.pk), username=third.username, role=Role.ANNOTATOR)
    project.refresh_from_db()
    return [annotator, annotator2, third]


class TestPooledFigures:
    @pytest.mark.parametrize("seed", [1, 2, 3, 4])
    def test_pooled_from_stored_equals_computed_directly(self, seed, project, owner, three_way):
        build_random(random.Random(seed), project, owner, three_way)

        figures_refresh(project_id=project.pk)
        work_off()  # the γ job the refresh queued for three annotators' documents (services.gamma)

        cached, _, stale = cached_agreement(project=project)
        direct = project_agreement(project=project)
        assert direct["documents"] > 0
        assert direct["overall"]["gamma"] is not None
        assert not stale
        assert cached == roundtrip(direct)

    def test_the_stats_cached_are_the_owners(self, project, owner, annotator, annotator2):
        build_random(random.Random(7), project, owner, [annotator, annotator2], documents=3)

        figures_refresh(project_id=project.pk)

        cached = ProjectFigures.objects.get(project=project, kind=ProjectFigures.STATS).data
        assert cached == roundtrip(project_stats(member=access_project(owner, project.pk)))

    def test_a_document_stores_its_own_overlap_f1(self, project, owner, annotator, annotator2):
        docs = build_random(random.Random(3), project, owner, [annotator, annotator2], documents=4)

        figures_refresh(project_id=project.pk)

        for document in docs:
            stored = DocumentFigures.objects.get(document=document)
            if stored.annotators >= 2:
                alone = project_agreement(project=project)  # the project figures restricted by deleting is costly;
                assert stored.tallies is not None
                assert alone is not None
            else:
                assert stored.tallies is None
                assert stored.span_f1_overlap is None


class TestRefreshRecomputesOnlyWhatChanged:
    def test_only_the_changed_documents_are_recomputed(self, project, owner, annotator, annotator2):
        docs = build_random(random.Random(5), project, owner, [annotator, annotator2], documents=5)
        assert figures_refresh(project_id=project.pk) == sorted(document.pk for document in docs)
        labels = list(project.labels.order_by("id")[:2])
        from annotator.services.spans import span_create

        span_create(member=member_of(annotator, project), document=docs[1], label=labels[0].pk, start=0, end=3)
        [gone] = document_create_many(member=access_project(owner, project.pk), items=[{"text": "Short one."}])

        assert figures_refresh(project_id=project.pk) == sorted([docs[1].pk, gone.pk])
        assert figures_refresh(project_id=project.pk) == []
        document_delete(member=access_project(owner, project.pk), document=docs[3])
        assert figures_refresh(project_id=project.pk) == []
        assert not DocumentFigures.objects.filter(document_id=docs[3].pk).exists()
        cached, _, _ = cached_agreement(project=project)
        assert cached == roundtrip(project_agreement(project=project))


@pytest.fixture
def small_blocks(monkeypatch):
    """Blocks of two document ids, so that a handful of documents spread over several blocks."""
    monkeypatch.setattr("annotator.selectors.figures.BLOCK_DOCUMENTS", 2)


def both_submitted(seed, project, owner, annotator, annotator2, documents):
    """build_random's documents, each submitted by both annotators, their figures refreshed."""
    docs = build_random(random.Random(seed), project, owner, [annotator, annotator2], documents=documents)
    for document in docs:
        submit(annotator, document)
        submit(annotator2, document)
    figures_refresh(project_id=project.pk)
    return docs


def blocks_of(project):
    return dict(FiguresBlock.objects.filter(project=project).values_list("block", "data"))


class TestBlocks:
    """The cached agreement pools blocks of documents (models.FiguresBlock); a refresh rebuilds only the blocks
    whose documents changed, came or went."""

    @pytest.mark.parametrize("seed", [1, 2])
    def test_pooled_blocks_equal_the_figures_computed_directly(self, seed, small_blocks, project, owner, three_way):
        docs = build_random(random.Random(seed), project, owner, three_way, documents=9)

        figures_refresh(project_id=project.pk)
        work_off()

        assert len(blocks_of(project)) == len({document.pk // 2 for document in docs})
        cached, _, _ = cached_agreement(project=project)
        direct = project_agreement(project=project)
        assert direct["documents"] > 2
        assert cached == roundtrip(direct)

    def test_a_change_rebuilds_its_own_block_only(self, small_blocks, project, owner, annotator, annotator2):
        from annotator.services.spans import span_create

        docs = both_submitted(4, project, owner, annotator, annotator2, documents=8)
        changed, other = docs[1], docs[6]
        assert changed.pk // 2 != other.pk // 2
        # a mark in another block's data: kept as long as that block's documents are unchanged
        before = blocks_of(project)
        marked = {**before[other.pk // 2], "untouched": True}
        FiguresBlock.objects.filter(project=project, block=other.pk // 2).update(data=marked)
        before = before[changed.pk // 2]
        label = project.labels.order_by("id").first()

        span_create(member=member_of(annotator, project), document=changed, label=label.pk, start=0, end=3)
        figures_refresh(project_id=project.pk)

        blocks = blocks_of(project)
        assert blocks[other.pk // 2] == marked
        assert blocks[changed.pk // 2] != before
        assert blocks[changed.pk // 2]["spans"]["documents"] == before["spans"]["documents"]

    def test_a_deleted_document_leaves_its_block_and_an_emptied_block_goes(
        self, small_blocks, project, owner, annotator, annotator2
    ):
        docs = both_submitted(6, project, owner, annotator, annotator2, documents=6)
        first, second = next((a, b) for a, b in itertools.pairwise(docs) if a.pk // 2 == b.pk // 2)
        block = first.pk // 2
        assert blocks_of(project)[block]["spans"]["documents"] == 2

        document_delete(member=access_project(owner, project.pk), document=first)
        figures_refresh(project_id=project.pk)
        assert blocks_of(project)[block]["spans"]["documents"] == 1
        document_delete(member=access_project(owner, project.pk), document=second)
        figures_refresh(project_id=project.pk)

        assert block not in blocks_of(project)
        cached, _, _ = cached_agreement(project=project)
        assert cached == roundtrip(project_agreement(project=project))

    def test_a_block_a_killed_refresh_left_behind_is_rebuilt(self, small_blocks, project, owner, annotator, annotator2):
        docs = both_submitted(8, project, owner, annotator, annotator2, documents=4)
        good = blocks_of(project)
        block = docs[0].pk // 2
        # as a refresh killed after storing a document's figures and before pooling its block leaves it
        FiguresBlock.objects.filter(project=project, block=block).update(
            key="killed", data={**good[block], "untouched": True}
        )
        FiguresBlock.objects.filter(project=project, block=docs[-1].pk // 2).delete()

        assert figures_refresh(project_id=project.pk) == []

        assert blocks_of(project) == good
        cached, _, _ = cached_agreement(project=project)
        assert cached == roundtrip(project_agreement(project=project))


@pytest.fixture
def committed():
    """Forget the after-commit callbacks the arrangement registered: in production each of its transactions
    committed and ran them, but a test's one transaction never commits, and figures_touch registers one callback
    per project per transaction, so a pending one would hide the act's."""

    def forget():
        transaction.get_connection().run_on_commit.clear()

    return forget


def moved(project):
    project.refresh_from_db()
    return project.figures_changed_at


@pytest.fixture
def busy(project, owner, annotator, annotator2, document):
    """A project with a bit of everything, its figures_changed_at then set far back."""
    label = project.labels.get(name="Source attribution")
    says = make_relation_type(owner, project)
    tone = make_question(owner, project)
    from annotator.services.spans import span_create

    member = member_of(annotator, project)
    first = span_create(member=member, document=document, label=label.pk, start=0, end=4)
    second = span_create(member=member, document=document, label=label.pk, start=5, end=9)
    relation = relate(annotator, says, first, second)
    given = answer(annotator, document, tone, "pro")
    return {"label": label, "span": first, "relation": relation, "answer": given, "tone": tone}


def _span_create(world, owner, annotator, document):
    from annotator.services.spans import span_create

    span_create(
        member=member_of(annotator, document.project_id), document=document, label=world["label"].pk, start=10, end=14
    )


WRITERS = {
    "span create": _span_create,
    "span update": lambda w, owner, annotator, document: span_update(
        member=member_of(annotator, document.project_id), span=w["span"], note="a note"
    ),
    "span delete": lambda w, owner, annotator, document: span_delete(
        member=member_of(annotator, document.project_id), span=w["span"]
    ),
    "relation create": lambda w, owner, annotator, document: relate(
        annotator, w["relation"].type, w["relation"].to_span, w["relation"].from_span
    ),
    "relation delete": lambda w, owner, annotator, document: relation_delete(
        member=member_of(annotator, document.project_id), relation=w["relation"]
    ),
    "answer create": lambda w, owner, annotator, document: answer(
        annotator, document, make_question(owner, document.project, name="Genre"), "pro"
    ),
    "answer update": lambda w, owner, annotator, document: answer_update(
        member=member_of(annotator, document.project_id), answer=w["answer"], value="anti"
    ),
    "answer delete": lambda w, owner, annotator, document: answer_delete(
        member=member_of(annotator, document.project_id), answer=w["answer"]
    ),
    "submit": lambda w, owner, annotator, document: submit(annotator, document),
    "assignment delete": lambda w, owner, annotator, document: assignment_delete(
        actor=member_of(owner, document.project_id),
        assignment=Assignment.objects.get(document=document, user=annotator),
    ),
    "assignment create": lambda w, owner, annotator, document: assignment_create(
        actor=member_of(owner, document.project_id),
        document=document_create_many(member=member_of(owner, document.project_id), items=[{"text": "x y"}])[0],
        username="annotator",
    )
    if False
    else assignment_create(
        actor=member_of(owner, document.project_id),
        document=document,
        username=_new_annotator(owner, document).username,
    ),
    "document create": lambda w, owner, annotator, document: document_create_many(
        member=member_of(owner, document.project_id), items=[{"text": "Another article."}]
    ),
    "document delete": lambda w, owner, annotator, document: document_delete(
        member=member_of(owner, document.project_id), document=document
    ),
    "label create": lambda w, owner, annotator, document: label_create(
        member=member_of(owner, document.project_id), name="Fresh label"
    ),
    "label rename": lambda w, owner, annotator, document: label_update(
        member=member_of(owner, document.project_id), label=w["label"], name="Renamed"
    ),
    "label merge": lambda w, owner, annotator, document: label_merge(
        member=member_of(owner, document.project_id),
        label=w["label"],
        into=document.project.labels.exclude(pk=w["label"].pk).order_by("id").first(),
    ),
    "gold span": lambda w, owner, annotator, document: draw_gold(owner, document, w["label"], "spokesman"),
    "suggestion accepted": lambda w, owner, annotator, document: accept(
        annotator, suggest(owner, document, w["label"], "spokesman")
    ),
    "suggestion rejected": lambda w, owner, annotator, document: reject(
        annotator, suggest(owner, document, w["label"], "spokesman")
    ),
    "import": lambda w, owner, annotator, document: import_file(
        member=member_of(owner, document.project_id),
        data=b'{"text": "Imported text.", "external_id": "imp-1"}\n',
        format="jsonl",
    ),
}


def _new_annotator(owner, document):
    user = UserFactory(username="latecomer")
    member_add(actor=member_of(owner, document.project_id), username=user.username, role=Role.ANNOTATOR)
    return user


class TestEveryWriterMarksTheFigures:
    @pytest.mark.parametrize("writer", list(WRITERS))
    def test_a_change_moves_figures_changed_at(
        self, writer, busy, project, owner, annotator, document, django_capture_on_commit_callbacks, committed
    ):
        committed()
        long_ago = Now() - timedelta(hours=1)
        Project.objects.filter(pk=project.pk).update(figures_changed_at=long_ago)
        before = moved(project)

        with django_capture_on_commit_callbacks(execute=True):
            WRITERS[writer](busy, owner, annotator, document)

        assert moved(project) > before

    def test_a_second_change_within_two_seconds_writes_nothing(
        self, busy, project, annotator, document, django_capture_on_commit_callbacks, committed
    ):
        committed()
        with django_capture_on_commit_callbacks(execute=True):
            _span_create(busy, None, annotator, document)
        first = moved(project)
        assert first is not None
        committed()
        with django_capture_on_commit_callbacks(execute=True):
            span_update(member=member_of(annotator, project), span=busy["span"], note="again")

        assert moved(project) == first

    def test_a_change_queues_one_refresh_which_brings_the_figures_up_to_date(
        self,
        refresh_now,
        busy,
        project,
        owner,
        annotator,
        annotator2,
        document,
        django_capture_on_commit_callbacks,
        committed,
    ):
        committed()
        with django_capture_on_commit_callbacks(execute=True):
            submit(annotator, document)
            submit(annotator2, document)

        assert work_off() == 1
        figures = figures_agreement(project=project)
        assert figures["stale"] is False
        assert without_times(figures) == roundtrip(project_agreement(project=project))


class TestStaleFigures:
    def test_a_failed_refresh_leaves_the_old_figures_served_and_marked_stale(
        self,
        refresh_now,
        busy,
        project,
        owner,
        annotator,
        annotator2,
        document,
        django_capture_on_commit_callbacks,
        monkeypatch,
        committed,
    ):
        figures_refresh(project_id=project.pk)
        old = figures_agreement(project=project)
        assert old["stale"] is False
        assert old["documents"] == 0

        import annotator.services.figures as service

        def killed(**_):
            raise RuntimeError("worker killed mid-refresh")

        monkeypatch.setattr(service, "pooled_agreement", killed)
        committed()
        with django_capture_on_commit_callbacks(execute=True):
            submit(annotator, document)
            submit(annotator2, document)
        work_off()  # the refresh fails after storing the document's figures, before the project's
        project.refresh_from_db()  # as the next request reads it

        served = figures_agreement(project=project)
        assert served["stale"] is True
        assert served["computed_at"] == old["computed_at"]
        assert served["documents"] == 0

    def test_a_stale_read_queues_a_refresh_once_the_lease_ran_out(
        self, refresh_now, busy, project, annotator, annotator2, document
    ):
        figures_refresh(project_id=project.pk)
        submit(annotator, document)
        submit(annotator2, document)
        Project.objects.filter(pk=project.pk).update(
            figures_changed_at=Now(), figures_refresh_until=Now() - timedelta(seconds=1)
        )
        project.refresh_from_db()

        assert figures_agreement(project=project)["stale"] is True
        assert work_off() == 1
        project.refresh_from_db()
        fresh = figures_agreement(project=project)
        assert fresh["stale"] is False
        assert fresh["documents"] == 1

    def test_a_live_lease_queues_nothing_more(self, refresh_now, busy, project):
        figures_refresh(project_id=project.pk)
        Project.objects.filter(pk=project.pk).update(
            figures_changed_at=Now(), figures_refresh_until=Now() + timedelta(minutes=1)
        )
        project.refresh_from_db()

        assert figures_agreement(project=project)["stale"] is True
        assert work_off() == 0
