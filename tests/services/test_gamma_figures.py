"""γ in the kept figures (issue 18, SPEC "Agreement"): each compared document's γ stored beside its tallies, the
project's the mean weighted by spans; a few due documents computed by the refresh itself, more by a γ job (SPEC's
Jobs, kind "gamma") with progress; `gamma_pending` and `stale` while any is due; a lost γ job leaves the previous
γ served and the next read starts another; degenerate documents give SPEC's values or null."""

from datetime import timedelta

import pytest
from django.db.models.functions import Now

from annotator.access import access_project
from annotator.choices import JobKind, JobStatus, Role
from annotator.metrics.gamma import document_gamma
from annotator.models import DocumentFigures, Job, Project
from annotator.selectors.agreement import compared_annotations, project_agreement
from annotator.selectors.figures import cached_agreement
from annotator.services.documents import document_create_many
from annotator.services.figures import figures_agreement, figures_refresh
from annotator.services.members import member_add
from tests.arrange import draw, submit
from tests.conftest import url
from tests.factories import UserFactory
from tests.jobs import work_off

TEXT = "The envoy said talks would resume after the ceasefire held."


@pytest.fixture
def worked(project, owner, annotator, annotator2):
    """Six documents both annotators submitted: the same source on some, a shifted one on others, an appeal by one
    of them on every third; one more only `annotator` submitted, and one both submitted without a span."""
    documents = document_create_many(
        member=access_project(owner, project.pk),
        items=[{"text": TEXT, "external_id": f"g{i}"} for i in range(8)],
    )
    for i, document in enumerate(documents[:6]):
        draw(annotator, document, "Source attribution", "The envoy")
        draw(annotator2, document, "Source attribution", "envoy said" if i % 2 else "The envoy")
        if i % 3 == 0:
            draw(annotator, document, "Editorial appeal", "talks would resume")
            draw(annotator2, document, "Editorial appeal", "would resume after")
    draw(annotator, documents[6], "Source attribution", "The envoy")
    for document in documents[:6] + documents[7:]:
        submit(annotator, document)
        submit(annotator2, document)
    submit(annotator, documents[6])
    return documents


def expected(project, documents):
    """{document: DocumentGamma} as metrics.gamma computes them from what the documents' annotators submitted."""
    annotations = compared_annotations(project=project, document_ids=[d.pk for d in documents])
    return {pk: document_gamma(by_user) for pk, by_user in annotations.items()}


def weighted(pairs):
    pairs = [(value, n) for value, n in pairs if value is not None and n]
    return sum(value * n for value, n in pairs) / sum(n for _, n in pairs)


def gamma_jobs(project):
    return Job.objects.filter(project=project, kind=JobKind.GAMMA)


class TestTheRefreshKeepsGamma:
    def test_each_compared_document_stores_the_gamma_metrics_computes(self, project, worked):
        figures_refresh(project_id=project.pk)

        want = expected(project, worked)
        assert len(want) == 7  # the six with spans and the one without
        for row in DocumentFigures.objects.filter(project=project, tallies__isnull=False):
            assert row.gamma == want[row.document_id].overall
            assert row.gamma_spans == want[row.document_id].spans
            assert {label: (value, n) for label, value, n in row.gamma_labels} == want[row.document_id].labels
            assert row.gamma_fingerprint == row.fingerprint
        assert not gamma_jobs(project).exists()  # seven due: the refresh computed them itself

    def test_the_projects_gamma_is_the_mean_over_documents_weighted_by_spans(self, project, worked):
        figures_refresh(project_id=project.pk)

        data, _, stale = cached_agreement(project=project)
        want = expected(project, worked).values()
        assert not stale
        assert data["gamma_pending"] == 0
        assert data["overall"]["gamma"] == pytest.approx(weighted((g.overall, g.spans) for g in want))
        for row in data["labels"]:
            by_label = [g.labels[row["label"]] for g in want if row["label"] in g.labels]
            assert row["gamma"] == pytest.approx(weighted(by_label))
        # the identical sources weigh 2 spans each, the shifted ones too: not a plain mean of documents
        assert data["overall"]["gamma"] != pytest.approx(
            sum(g.overall for g in want if g.overall is not None) / sum(1 for g in want if g.overall is not None)
        )

    def test_degenerate_documents(self, project, worked):
        figures_refresh(project_id=project.pk)
        rows = {row.document_id: row for row in DocumentFigures.objects.filter(project=project)}

        assert rows[worked[2].pk].gamma == 1.0  # identical spans
        assert rows[worked[1].pk].gamma < 1.0  # one span each, apart
        assert rows[worked[7].pk].gamma is None  # both submitted, no span: nothing to rest on
        assert rows[worked[7].pk].gamma_spans == 0
        assert rows[worked[6].pk].tallies is None  # one annotator: not compared
        assert rows[worked[6].pk].gamma is None

    def test_the_cached_answer_equals_the_one_computed_in_the_request(self, project, worked):
        figures_refresh(project_id=project.pk)

        data, _, _ = cached_agreement(project=project)
        anew = project_agreement(project=project, include_unsubmitted=True)  # computes every document's γ anew
        assert anew["documents"] == 7
        assert data["overall"]["gamma"] is not None
        assert anew["overall"]["gamma"] == pytest.approx(data["overall"]["gamma"])
        assert project_agreement(project=project)["overall"] == data["overall"]


class TestTheGammaJob:
    @pytest.fixture
    def inline_two(self, settings):
        settings.SLANT_GAMMA_INLINE_DOCUMENTS = 2
        settings.SLANT_FIGURES_DELAY_SECONDS = 0

    def test_more_due_than_the_refresh_computes_starts_a_job_that_computes_them(self, inline_two, project, worked):
        figures_refresh(project_id=project.pk)

        [job] = gamma_jobs(project)
        assert (job.status, job.total, job.done, job.created_by) == (JobStatus.QUEUED, 7, 0, None)
        waiting = figures_agreement(project=project)
        assert waiting["gamma_pending"] == 7
        assert waiting["stale"] is True
        assert waiting["overall"]["gamma"] is None
        assert waiting["documents"] == 7  # the other figures are there already

        assert work_off() >= 1
        job.refresh_from_db()
        assert (job.status, job.done, job.total) == (JobStatus.DONE, 7, 7)
        project.refresh_from_db()
        served = figures_agreement(project=project)
        assert served["gamma_pending"] == 0
        assert served["stale"] is False
        want = expected(project, worked).values()
        assert served["overall"]["gamma"] == pytest.approx(weighted((g.overall, g.spans) for g in want))

    def test_a_changed_document_counts_its_previous_gamma_until_the_job_recomputes_it(
        self, settings, project, worked, annotator
    ):
        figures_refresh(project_id=project.pk)
        before = figures_agreement(project=project)["overall"]["gamma"]
        old = DocumentFigures.objects.get(document=worked[2]).gamma
        draw(annotator, worked[2], "Editorial appeal", "ceasefire held")
        settings.SLANT_GAMMA_INLINE_DOCUMENTS = 0

        figures_refresh(project_id=project.pk)

        row = DocumentFigures.objects.get(document=worked[2])
        assert row.gamma == old
        assert row.gamma_fingerprint != row.fingerprint
        served = figures_agreement(project=project)
        assert (served["gamma_pending"], served["overall"]["gamma"]) == (1, before)
        work_off()
        row.refresh_from_db()
        assert row.gamma_fingerprint == row.fingerprint
        assert row.gamma == expected(project, [worked[2]])[worked[2].pk].overall != old
        project.refresh_from_db()
        assert figures_agreement(project=project)["gamma_pending"] == 0

    def test_a_lost_job_leaves_the_previous_gamma_served_and_the_next_read_starts_another(
        self, inline_two, project, worked
    ):
        figures_refresh(project_id=project.pk)
        [job] = gamma_jobs(project)
        # its worker took it and died: the lease ran out with nothing stored
        Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, lease_until=Now() - timedelta(seconds=1))
        Project.objects.filter(pk=project.pk).update(figures_refresh_until=None)
        project.refresh_from_db()

        served = figures_agreement(project=project)  # queues a refresh: γ is due and no job is alive
        assert served["stale"] is True
        assert served["gamma_pending"] == 7
        work_off()

        job.refresh_from_db()
        assert job.status == JobStatus.FAILED
        assert [j.status for j in gamma_jobs(project).order_by("id")] == [JobStatus.FAILED, JobStatus.DONE]
        project.refresh_from_db()
        assert figures_agreement(project=project)["gamma_pending"] == 0

    def test_three_annotators_documents_always_go_to_the_job(self, project, owner, worked):
        Project.objects.filter(pk=project.pk).update(annotators_per_document=3)
        third = UserFactory(username="annotator3")
        member_add(actor=access_project(owner, project.pk), username=third.username, role=Role.ANNOTATOR)
        draw(third, worked[0], "Source attribution", "envoy")
        submit(third, worked[0])

        figures_refresh(project_id=project.pk)

        assert gamma_jobs(project).count() == 1
        # a request computes no three-annotator γ either: it is pending there
        assert project_agreement(project=project, include_unsubmitted=True)["gamma_pending"] == 1


class TestThroughTheApi:
    def test_the_gamma_job_is_listed_with_the_projects_jobs(self, settings, client_for, owner, project, worked):
        settings.SLANT_GAMMA_INLINE_DOCUMENTS = 0
        figures_refresh(project_id=project.pk)

        jobs = client_for(owner).get(url(project, "jobs")).json()["results"]
        assert [(job["kind"], job["status"], job["total"], job["created_by"]) for job in jobs] == [
            ("gamma", "queued", 7, None)
        ]

    def test_since_version_takes_the_stored_gamma(self, client_for, reviewer, project, worked):
        figures_refresh(project_id=project.pk)
        cached = client_for(reviewer).get(url(project, "agreement")).json()

        since = client_for(reviewer).get(url(project, "agreement"), {"since_version": 1}).json()

        assert since["gamma_pending"] == 0
        assert since["overall"]["gamma"] == cached["overall"]["gamma"]
