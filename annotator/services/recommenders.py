"""Recommenders: a project's configured suggestion makers, and running one, which queues a Job for a worker.

A config is checked when it is saved (local kinds by recommenders.registry, remote ones by recommenders.remote
against SLANT_RECOMMENDER_HOSTS) and the labels it names must be the project's and active. A label a recommender's
config names cannot be deleted (LabelInUse, see services/labels.py): the config would point at nothing.
"""

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from annotator.choices import JobKind, JobStatus, RecommenderKind
from annotator.dbfunctions import id_batches
from annotator.errors import Conflict, InvalidInput
from annotator.models import Document, Job, Label, Recommender, Span
from annotator.recommenders import attribution, remote
from annotator.recommenders.base import ConfigError
from annotator.recommenders.registry import clean_config, config_labels
from annotator.rules import job_lost
from annotator.services.audit import audit_record, snapshot
from annotator.services.job_leases import jobs_fail_lost


def _problems_as_errors(problems):
    errors = {}
    for field, message in problems:
        errors.setdefault(field, []).append(message)
    return InvalidInput(errors)


def _with_attribution_defaults(project_id, config):
    """An attribution config with each role it leaves out filled with the project's label of that name."""
    if not isinstance(config, dict) or all(key in config for key in attribution.KEYS):
        return config
    labels = Label.objects.filter(project_id=project_id).order_by("id").values_list("id", "name")
    wanted = {key: key for key in attribution.KEYS if key not in config}
    found = {}
    for label_id, name in labels:
        key = name.strip().casefold()
        if key in wanted and key not in found:
            found[key] = label_id
    for key in wanted:
        if key not in found:
            raise ConfigError(key, f"no label is named {key.capitalize()}; give the label id for {key}.")
    return {**config, **found}


def _label_field(kind, config, label_id):
    """Where a clean config names `label_id`, as an error names it (entries[3].label, cue)."""
    if kind == RecommenderKind.LEXICON:
        index = next(i for i, entry in enumerate(config["entries"]) if entry["label"] == label_id)
        return f"entries[{index}].label"
    return next(key for key in attribution.KEYS if config[key] == label_id)


def recommender_config_clean(*, project_id, kind, config):
    """`config` checked and completed for a recommender of `kind` in the project; InvalidInput naming the field:
    {"config": ["entries[3].phrase: …"]} for a local kind, {"config.url": […]} or {"config.timeout": […]} for a
    remote one, {"config": ["entries[0].label: label 9 is not in this project"]} for a label not the project's or
    not active."""
    if kind in remote.KINDS:
        problems = remote.config_problems(config, settings.SLANT_RECOMMENDER_HOSTS)
        if problems:
            raise _problems_as_errors(problems)
        return {"url": config["url"], "timeout": config["timeout"]}
    if kind == RecommenderKind.ATTRIBUTION:
        config = _with_attribution_defaults(project_id, config)
    config = clean_config(kind, config)
    named = config_labels(kind, config)
    labels = {label.pk: label for label in Label.objects.filter(project_id=project_id, pk__in=named)}
    for label_id in named:
        label = labels.get(label_id)
        if label is None or not label.active:
            why = "is not in this project" if label is None else f"({label.name!r}) is deactivated"
            raise ConfigError(_label_field(kind, config, label_id), f"label {label_id} {why}.")
    return config


def _check_name_free(project_id, name, exclude_pk=None):
    if Recommender.objects.filter(project_id=project_id, name=name).exclude(pk=exclude_pk).exists():
        raise InvalidInput({"name": [f"This project already has a recommender named {name!r}."]})


@transaction.atomic
def recommender_create(*, member, name, kind, config, active=True):
    """Add a recommender to the member's project; InvalidInput naming the field for a name taken or a bad config
    (recommender_config_clean)."""
    _check_name_free(member.project_id, name)
    config = recommender_config_clean(project_id=member.project_id, kind=kind, config=config)
    recommender = Recommender.objects.create(
        project_id=member.project_id, name=name, kind=kind, config=config, active=active
    )
    audit_record(
        actor=member.user,
        action="recommender.create",
        obj=recommender,
        project_id=member.project_id,
        after=snapshot(recommender),
    )
    return recommender


@transaction.atomic
def recommender_update(*, member, recommender, **changes):
    """Change a recommender's name, kind, config or active; a new kind or config is checked as on create (a new
    kind needs a config of its own). InvalidInput naming the field."""
    if "name" in changes:
        _check_name_free(member.project_id, changes["name"], exclude_pk=recommender.pk)
    if "kind" in changes or "config" in changes:
        changes["config"] = recommender_config_clean(
            project_id=member.project_id,
            kind=changes.get("kind", recommender.kind),
            config=changes.get("config", recommender.config),
        )
    before = snapshot(recommender)
    for name, value in changes.items():
        setattr(recommender, name, value)
    recommender.save()
    audit_record(
        actor=member.user,
        action="recommender.update",
        obj=recommender,
        project_id=recommender.project_id,
        before=before,
        after=snapshot(recommender),
    )
    return recommender


@transaction.atomic
def recommender_delete(*, member, recommender):
    """Delete a recommender. Its suggestions stay (they are the project's data, with their source); its jobs stay
    in the history; a job of it still queued fails when a worker takes it up."""
    audit_record(
        actor=member.user,
        action="recommender.delete",
        obj=recommender,
        project_id=recommender.project_id,
        before=snapshot(recommender),
    )
    recommender.delete()


def _documents_asked(project_id, documents, unannotated):
    """The ids of the documents to run on, in the order asked (each once): all the project's, by id, for None;
    with `unannotated`, only those nobody has drawn a span on. InvalidInput naming `documents` for an id that is no
    document of the project."""
    everything = Document.objects.filter(project_id=project_id)
    if documents is None:
        ids = list(everything.order_by("id").values_list("id", flat=True))
    else:
        ids = list(dict.fromkeys(documents))
        found = set()
        for batch in id_batches(ids):
            found.update(everything.filter(pk__in=batch).values_list("id", flat=True))
        missing = [document for document in ids if document not in found]
        if missing:
            shown = ", ".join(str(document) for document in missing[:5]) + (", …" if len(missing) > 5 else "")
            raise InvalidInput({"documents": [f"No document of this project has the id {shown}."]})
    if unannotated:
        annotated = set(
            Span.objects.filter(document__project_id=project_id).values_list("document_id", flat=True).distinct()
        )
        ids = [document for document in ids if document not in annotated]
    return ids


def recommender_run(*, member, recommender, enqueue, documents=None, unannotated=False):
    """Queue a job that runs `recommender` over `documents` (ids of the project's documents; None: all of
    them, as they are now; with `unannotated`, of those only the ones without a span) and return it.
    `enqueue(job_id)` queues its task (annotator.tasks), in the same transaction as the job, so a worker never sees
    one without the other. Conflict when the recommender is inactive, its config no longer holds (a host taken off
    SLANT_RECOMMENDER_HOSTS) or a job of it is queued or running; InvalidInput naming `documents` for an id not of
    the project."""
    if not recommender.active:
        raise Conflict('This recommender is inactive; activate it with {"active": true} first.')
    if recommender.kind in remote.KINDS:
        problems = remote.config_problems(recommender.config, settings.SLANT_RECOMMENDER_HOSTS)
        if problems:
            raise Conflict(f"This recommender's config no longer holds: {problems[0][0]}: {problems[0][1]}")
    ids = _documents_asked(member.project_id, documents, unannotated)
    now = timezone.now()
    jobs_fail_lost(project_id=member.project_id, now=now)
    with transaction.atomic():
        for job in Job.objects.filter(recommender=recommender, status__in=[JobStatus.QUEUED, JobStatus.RUNNING]):
            if not job_lost(status=job.status, lease_until=job.lease_until, now=now):
                raise Conflict(f"Job {job.pk} of this recommender is {job.status}; wait for it to finish.")
        job = Job.objects.create(
            project_id=member.project_id,
            kind=JobKind.RECOMMENDER,
            recommender=recommender,
            documents=ids,
            total=len(ids),
            created_by=member.user,
        )
        job.task_result_id = str(enqueue(job.pk))
        job.save(update_fields=["task_result_id"])
        after = {**snapshot(job), "documents": len(ids)}
        audit_record(
            actor=member.user, action="recommender.run", obj=recommender, project_id=member.project_id, after=after
        )
    return job
