"""Slant's data: integrity lives here (constraints, choices); behaviour lives in services/."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from annotator.choices import (
    AssignmentStatus,
    Decision,
    JobKind,
    JobStatus,
    QuestionKind,
    RecommenderKind,
    RelationEnd,
    ReviewStatus,
    Role,
)
from annotator.querysets import AnswerQuerySet, ProjectQuerySet, RelationQuerySet, SpanQuerySet


class Project(models.Model):
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    guidelines = models.TextField(blank=True, help_text="Markdown")
    blind = models.BooleanField(default=True, help_text="Annotators see only their own spans.")
    annotators_per_document = models.PositiveSmallIntegerField(default=2)
    # The number of the current CodebookVersion, kept by services.codebook.codebook_bump: read with the project, so
    # that making a span reads its version and computes nothing.
    codebook_version = models.PositiveIntegerField(default=1)
    # When something the agreement and stats figures read last changed (database clock, moved by
    # services.figures.figures_touch at most every 2 s, and always by the first change after a refresh started
    # reading, figures_scan_started_at), and until when a refresh is queued or running (its lease): one read of
    # the project says whether the cached figures are stale and whether a refresh is on its way.
    figures_changed_at = models.DateTimeField(null=True, blank=True)
    figures_scan_started_at = models.DateTimeField(null=True, blank=True)
    figures_refresh_until = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(annotators_per_document__gte=1), name="project_annotators_per_document_positive"
            ),
        ]

    def __str__(self):
        return self.name


class Label(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="labels")
    name = models.CharField(max_length=100)
    key = models.CharField(max_length=1, blank=True, help_text="One-character keyboard shortcut.")
    color = models.CharField(max_length=7, default="#ffd966")
    description = models.TextField(blank=True)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["project", "name"], name="label_name_unique_in_project"),
            models.UniqueConstraint(
                fields=["project", "key"], condition=~Q(key=""), name="label_key_unique_in_project"
            ),
        ]

    def __str__(self):
        return self.name


class Member(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    guidelines_read_version = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="The codebook version whose guidelines the member last opened; null: never opened them.",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["project", "user"], name="member_unique_in_project"),
        ]

    def __str__(self):
        return f"{self.user} ({self.role}) in {self.project}"


class Document(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="documents")
    text = models.TextField()
    # text.text_hash(text), kept by every service that writes `text`: a re-import finds the documents it stored
    # before by it when the file has no external_id.
    text_hash = models.CharField(max_length=64, editable=False)
    title = models.CharField(max_length=500, blank=True)
    external_id = models.CharField(max_length=255, blank=True)
    source = models.CharField(max_length=200, blank=True, help_text="The outlet.")
    url = models.URLField(max_length=2000, blank=True)
    author = models.CharField(max_length=300, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    language = models.CharField(max_length=35, blank=True)
    metadata = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["project", "external_id"], condition=~Q(external_id=""), name="document_external_id_unique"
            ),
            # A writer that forgot the hash (a new bulk path) fails at once rather than making duplicates later.
            models.CheckConstraint(condition=~Q(text_hash=""), name="document_text_hash_set"),
        ]
        indexes = [models.Index(fields=["project", "text_hash"], name="document_text_hash")]

    def __str__(self):
        return self.title or f"Document {self.pk}"


class Assignment(models.Model):
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="assignments")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assignments")
    status = models.CharField(max_length=20, choices=AssignmentStatus.choices, default=AssignmentStatus.ASSIGNED)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["document", "user"], name="assignment_unique_per_annotator"),
        ]
        indexes = [models.Index(fields=["user", "status"])]

    def __str__(self):
        return f"{self.user} on {self.document_id}: {self.status}"


class Span(models.Model):
    # The unique (document, annotator, label, start, end) index serves lookups by document; another would only slow
    # inserts.
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="spans", db_index=False)
    annotator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="spans")
    label = models.ForeignKey(Label, on_delete=models.RESTRICT, related_name="spans")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    note = models.TextField(blank=True)
    review_status = models.CharField(max_length=20, choices=ReviewStatus.choices, default=ReviewStatus.PENDING)
    review_comment = models.TextField(blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_index=False
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    codebook_version = models.PositiveIntegerField(default=1, help_text="The codebook version when made or changed.")
    # None for a span drawn by hand, the suggestion's source for one accepted from a suggestion: SPEC's JSON says
    # null, and "" would be a source no suggestion may have.
    origin = models.CharField(max_length=100, null=True, blank=True)  # noqa: DJ001
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SpanQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(start__gte=0) & Q(start__lt=F("end")), name="span_offsets_ordered"),
            # One annotator draws a span once; its index also serves every lookup by document and annotator.
            models.UniqueConstraint(
                fields=["document", "annotator", "label", "start", "end"], name="span_unique_per_annotator"
            ),
        ]

    def __str__(self):
        return f"[{self.start}, {self.end}) by {self.annotator_id}"


class GoldSpan(models.Model):
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="gold_spans")
    label = models.ForeignKey(Label, on_delete=models.RESTRICT, related_name="gold_spans")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    note = models.TextField(blank=True)
    source_span = models.ForeignKey(Span, null=True, blank=True, on_delete=models.SET_NULL, related_name="gold_copies")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)
    codebook_version = models.PositiveIntegerField(default=1, help_text="The codebook version when made or changed.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(start__gte=0) & Q(start__lt=F("end")), name="gold_offsets_ordered"),
            models.UniqueConstraint(fields=["document", "label", "start", "end"], name="gold_span_unique"),
        ]

    def __str__(self):
        return f"gold [{self.start}, {self.end})"


class RelationType(models.Model):
    """A kind of directed link between two spans (PARC's cue → source); the labels its ends may carry are its
    RelationTypeLabel rows (none at an end: any label)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="relation_types")
    name = models.CharField(max_length=100)
    key = models.CharField(max_length=1, blank=True, help_text="One-character keyboard shortcut.")
    color = models.CharField(max_length=7, default="#7f7f7f")
    description = models.TextField(blank=True)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["project", "name"], name="relation_type_name_unique_in_project"),
            models.UniqueConstraint(
                fields=["project", "key"], condition=~Q(key=""), name="relation_type_key_unique_in_project"
            ),
        ]

    def __str__(self):
        return self.name


class RelationTypeLabel(models.Model):
    """One label a relation type allows at one of its ends: the rows of `from_labels` and `to_labels`. Rows, not a
    JSON list of ids, so that the database keeps them pointing at labels that exist: a label named here cannot be
    deleted (RESTRICT) until it is taken off the type."""

    type = models.ForeignKey(RelationType, on_delete=models.CASCADE, related_name="end_labels", db_index=False)
    end = models.CharField(max_length=4, choices=RelationEnd.choices)
    label = models.ForeignKey(Label, on_delete=models.RESTRICT, related_name="relation_type_ends")

    class Meta:
        constraints = [
            # Its index also serves every lookup by type.
            models.UniqueConstraint(fields=["type", "end", "label"], name="relation_type_label_unique"),
        ]

    def __str__(self):
        return f"{self.type_id} {self.end} {self.label_id}"


class Relation(models.Model):
    """One annotator's typed, directed link from one of their spans to another of the same document. That both
    spans are the annotator's and the document's is the relation service's rule; the ends never change. Deleting
    a span is refused here (RESTRICT) while relations point at it: the span service deletes them first, audited."""

    # Lists read a document's relations, an annotator's alone in a blind project: the (document, annotator) index.
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="relations", db_index=False)
    annotator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="relations")
    type = models.ForeignKey(RelationType, on_delete=models.RESTRICT, related_name="relations")
    # The unique rule's index, from_span first, serves lookups by from_span.
    from_span = models.ForeignKey(Span, on_delete=models.RESTRICT, related_name="relations_from", db_index=False)
    to_span = models.ForeignKey(Span, on_delete=models.RESTRICT, related_name="relations_to")
    note = models.TextField(blank=True)
    review_status = models.CharField(max_length=20, choices=ReviewStatus.choices, default=ReviewStatus.PENDING)
    review_comment = models.TextField(blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_index=False
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    codebook_version = models.PositiveIntegerField(default=1, help_text="The codebook version when made or changed.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = RelationQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(condition=~Q(from_span=F("to_span")), name="relation_ends_differ"),
            models.UniqueConstraint(
                fields=["from_span", "to_span", "type", "annotator"], name="relation_unique_per_annotator"
            ),
        ]
        indexes = [models.Index(fields=["document", "annotator"], name="relation_document_annotator")]

    def __str__(self):
        return f"{self.from_span_id} -{self.type_id}-> {self.to_span_id} by {self.annotator_id}"


class GoldRelation(models.Model):
    """A relation of a document's curated gold layer, between two of its gold spans."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="gold_relations")
    type = models.ForeignKey(RelationType, on_delete=models.RESTRICT, related_name="gold_relations")
    # The unique rule's index, from_span first, serves lookups by from_span.
    from_span = models.ForeignKey(GoldSpan, on_delete=models.RESTRICT, related_name="relations_from", db_index=False)
    to_span = models.ForeignKey(GoldSpan, on_delete=models.RESTRICT, related_name="relations_to")
    note = models.TextField(blank=True)
    source_relation = models.ForeignKey(
        Relation, null=True, blank=True, on_delete=models.SET_NULL, related_name="gold_copies"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)
    codebook_version = models.PositiveIntegerField(default=1, help_text="The codebook version when made or changed.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=~Q(from_span=F("to_span")), name="gold_relation_ends_differ"),
            models.UniqueConstraint(fields=["from_span", "to_span", "type"], name="gold_relation_unique"),
        ]

    def __str__(self):
        return f"gold {self.from_span_id} -{self.type_id}-> {self.to_span_id}"


class Question(models.Model):
    """A document-level judgement beside the spans (the Media Frames Corpus's primary frame and tone): `single`
    (one of `options`), `multi` (a set of them) or `scale` (an integer from `min` to `max`). That options are two
    or more distinct strings is the question service's rule; the database keeps the bounds to the kind."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="questions")
    name = models.CharField(max_length=100)
    kind = models.CharField(max_length=10, choices=QuestionKind.choices)
    options = models.JSONField(default=list, blank=True, help_text="single and multi: the options, in order.")
    min = models.IntegerField(null=True, blank=True, help_text="scale: the lowest value.")
    max = models.IntegerField(null=True, blank=True, help_text="scale: the highest value.")
    required = models.BooleanField(default=False, help_text="Answered before a document can be submitted.")
    description = models.TextField(blank=True)
    key = models.CharField(max_length=1, blank=True, help_text="One-character keyboard shortcut.")
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["project", "name"], name="question_name_unique_in_project"),
            models.UniqueConstraint(
                fields=["project", "key"], condition=~Q(key=""), name="question_key_unique_in_project"
            ),
            models.CheckConstraint(condition=Q(kind__in=QuestionKind.values), name="question_kind_known"),
            # A scale has both bounds, in order; the other kinds have none.
            models.CheckConstraint(
                condition=(
                    Q(kind=QuestionKind.SCALE, min__isnull=False, max__isnull=False, min__lt=F("max"))
                    | (~Q(kind=QuestionKind.SCALE) & Q(min__isnull=True, max__isnull=True))
                ),
                name="question_bounds_fit_kind",
            ),
        ]

    def __str__(self):
        return self.name


class Answer(models.Model):
    """One annotator's answer to a question about a document: `value` is an option (single), a list of options in
    the question's order (multi) or an integer (scale), as the answer service checks it. Deleting a question is
    refused here (RESTRICT) while answers hold it."""

    # The unique (document, annotator, question) index serves every lookup by document and by document and
    # annotator; another would only slow inserts.
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="answers", db_index=False)
    annotator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.RESTRICT, related_name="answers")
    value = models.JSONField()
    review_status = models.CharField(max_length=20, choices=ReviewStatus.choices, default=ReviewStatus.PENDING)
    review_comment = models.TextField(blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_index=False
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    codebook_version = models.PositiveIntegerField(default=1, help_text="The codebook version when made or changed.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AnswerQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["document", "annotator", "question"], name="answer_unique_per_annotator"),
        ]

    def __str__(self):
        return f"{self.question_id} on {self.document_id} by {self.annotator_id}"


class GoldAnswer(models.Model):
    """The curated answer to a question about a document: one per question, set by a reviewer or copied from an
    annotator's answer."""

    # The unique (document, question) index serves every lookup by document.
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="gold_answers", db_index=False)
    question = models.ForeignKey(Question, on_delete=models.RESTRICT, related_name="gold_answers")
    value = models.JSONField()
    source_answer = models.ForeignKey(
        Answer, null=True, blank=True, on_delete=models.SET_NULL, related_name="gold_copies"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)
    codebook_version = models.PositiveIntegerField(default=1, help_text="The codebook version when made or changed.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["document", "question"], name="gold_answer_unique"),
        ]

    def __str__(self):
        return f"gold {self.question_id} on {self.document_id}"


class Suggestion(models.Model):
    """A span proposed by a machine (a recommender, a team's own model, an imported file of predictions): nobody's
    annotation until an annotator accepts it. Every member who sees the document sees it; the decisions are each
    user's own (SuggestionDecision)."""

    # The unique (document, label, start, end, source) index serves every lookup by document.
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="suggestions", db_index=False)
    label = models.ForeignKey(Label, on_delete=models.RESTRICT, related_name="suggestions")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    score = models.FloatField(null=True, blank=True)
    source = models.CharField(max_length=100)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(start__gte=0) & Q(start__lt=F("end")), name="suggestion_offsets_ordered"
            ),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | (Q(score__gte=0) & Q(score__lte=1)), name="suggestion_score_in_0_1"
            ),
            models.CheckConstraint(condition=~Q(source=""), name="suggestion_source_set"),
            models.UniqueConstraint(fields=["document", "label", "start", "end", "source"], name="suggestion_unique"),
        ]

    def __str__(self):
        return f"suggested [{self.start}, {self.end}) by {self.source}"


class SuggestionDecision(models.Model):
    """One user's decision on a suggestion: accepted (with the span it made, until that span is deleted) or
    rejected. Once per user and suggestion; deleting the span leaves the suggestion decided."""

    # The unique (suggestion, user) index serves every lookup by suggestion.
    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="decisions", db_index=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="suggestion_decisions")
    decision = models.CharField(max_length=10, choices=Decision.choices)
    span = models.ForeignKey(Span, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["suggestion", "user"], name="suggestion_decision_unique_per_user"),
            models.CheckConstraint(condition=Q(decision__in=Decision.values), name="suggestion_decision_known"),
        ]

    def __str__(self):
        return f"{self.user_id} {self.decision} {self.suggestion_id}"


# A suggestion's source is "kind:name" in at most 100 characters, so a name is at most 100 - len("labelstudio-ml:").
RECOMMENDER_NAME_MAX = 85


class Recommender(models.Model):
    """A project's configured suggestion maker (SPEC "Suggestions"): what it is (`kind`) and how it is set up
    (`config`, checked by services/recommenders.py). Running it makes a Job."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="recommenders", db_index=False)
    name = models.CharField(max_length=RECOMMENDER_NAME_MAX)
    kind = models.CharField(max_length=20, choices=RecommenderKind.choices)
    config = models.JSONField(default=dict, blank=True)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            # Also the index of every lookup by project.
            models.UniqueConstraint(fields=["project", "name"], name="recommender_name_unique_in_project"),
            models.CheckConstraint(condition=Q(kind__in=RecommenderKind.values), name="recommender_kind_known"),
            models.CheckConstraint(condition=~Q(name=""), name="recommender_name_set"),
        ]

    def __str__(self):
        return f"{self.kind}:{self.name}"


class Job(models.Model):
    """Long work done by a background worker (SPEC "Jobs"): a recommender run over some documents of a project, or a
    large import (its file an ImportUpload). `done` counts the documents finished (their suggestions stored, or their
    error recorded; an import's documents read and written) out of `total`; `errors` is [{"documents": [ids],
    "message"}] (an import's: one a problem of the file, with its `line`); `result` an import's counts once done. A
    running job's worker renews `lease_until` as it goes: a running job whose lease has run out lost its worker."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="jobs", db_index=False)
    kind = models.CharField(max_length=20, choices=JobKind.choices)
    status = models.CharField(max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    # A deleted recommender leaves its jobs' history behind.
    recommender = models.ForeignKey(Recommender, null=True, blank=True, on_delete=models.SET_NULL, related_name="jobs")
    documents = models.JSONField(default=list, blank=True, help_text="The ids of the documents to work on, in order.")
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)
    result = models.JSONField(null=True, blank=True, help_text="What a finished import stored: its counts.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    task_result_id = models.CharField(max_length=64, blank=True, help_text="The django-tasks result of its run.")

    class Meta:
        indexes = [models.Index(fields=["project", "-id"], name="job_project_newest")]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=JobKind.values), name="job_kind_known"),
            models.CheckConstraint(condition=Q(status__in=JobStatus.values), name="job_status_known"),
            models.CheckConstraint(condition=Q(done__lte=F("total")), name="job_done_within_total"),
        ]

    def __str__(self):
        return f"{self.kind} job {self.pk} ({self.status})"


class ImportUpload(models.Model):
    """The file of an import job, kept in the database (in chunks, ImportChunk) so that a worker on any machine
    sharing it can read it; deleted when the job ends."""

    job = models.OneToOneField(Job, on_delete=models.CASCADE, related_name="upload")
    format = models.CharField(max_length=20)
    filename = models.CharField(max_length=255, blank=True)
    create_labels = models.BooleanField(default=False)
    offsets = models.CharField(max_length=20, blank=True)
    size = models.PositiveBigIntegerField(default=0)

    def __str__(self):
        return f"upload of job {self.job_id} ({self.size} bytes)"


class ImportChunk(models.Model):
    """One piece of an ImportUpload's bytes; `number` orders them."""

    upload = models.ForeignKey(ImportUpload, on_delete=models.CASCADE, related_name="chunks", db_index=False)
    number = models.PositiveIntegerField()
    data = models.BinaryField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["upload", "number"], name="import_chunk_unique_number")]

    def __str__(self):
        return f"chunk {self.number} of upload {self.upload_id}"


class CodebookVersion(models.Model):
    """One version of a project's codebook (guidelines, labels, relation types, questions): the whole codebook as
    the API shows it and the readable lines that say what changed from the one before. Append-only: services
    make them (services.codebook), nothing changes or deletes one but the project's own deletion."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="codebook_versions", db_index=False)
    number = models.PositiveIntegerField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    changes = models.JSONField(default=list, blank=True)
    snapshot = models.JSONField()

    class Meta:
        constraints = [
            # Its index also serves every lookup by project.
            models.UniqueConstraint(fields=["project", "number"], name="codebook_version_unique_in_project"),
            models.CheckConstraint(condition=Q(number__gte=1), name="codebook_version_number_positive"),
        ]

    def __str__(self):
        return f"{self.project_id} v{self.number}"


class AuditEvent(models.Model):
    # No foreign-key constraints: the trail outlives the project, object and user it speaks of.
    project = models.ForeignKey(  # indexed by (project, -id) below
        Project,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )
    actor_username = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=40)
    object_type = models.CharField(max_length=40)
    object_id = models.BigIntegerField(null=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["project", "-id"])]

    def __str__(self):
        return f"{self.actor_username} {self.action} {self.object_type} {self.object_id}"


class DocumentFigures(models.Model):
    """One document's share of the project's default agreement figures (submitted work only), kept by the figures
    refresh job (services.figures): `tallies` are the additive sums the project's figures pool (None when fewer
    than two annotators submitted it), `fingerprint` says what they were computed from."""

    document = models.OneToOneField(Document, on_delete=models.CASCADE, related_name="figures")
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    fingerprint = models.CharField(max_length=400)
    annotators = models.PositiveSmallIntegerField(default=0)
    span_f1_overlap = models.FloatField(null=True)
    tallies = models.JSONField(null=True)
    computed_at = models.DateTimeField()
    # γ over the document's compared annotators (metrics.gamma), kept apart from the tallies since it costs far
    # more: `gamma_fingerprint` is the fingerprint it was computed at, so γ is due while the two differ (its
    # previous value counts meanwhile); `gamma_spans` the spans it rests on (the pooling weight); `gamma_labels`
    # [[label id, γ or None, spans], …] for each label any compared annotator used.
    gamma = models.FloatField(null=True)
    gamma_spans = models.PositiveIntegerField(default=0)
    gamma_labels = models.JSONField(default=list)
    gamma_fingerprint = models.CharField(max_length=400, blank=True)

    class Meta:
        indexes = [models.Index(fields=["project", "span_f1_overlap", "document"], name="document_figures_order")]

    def __str__(self):
        return f"Figures of document {self.document_id}"


class FiguresBlock(models.Model):
    """The pooled tallies of one block of a project's documents (those whose id // selectors.agreement's
    BLOCK_DOCUMENTS is `block`): what the project's cached agreement pools, a few dozen blocks where it would read
    every document's tallies. `key` digests the (document, fingerprint) pairs of the DocumentFigures rows it pooled,
    so that the figures refresh (services.figures) rebuilds a block whose documents changed, came or went."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    block = models.PositiveIntegerField()
    key = models.CharField(max_length=64)
    data = models.JSONField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["project", "block"], name="figures_block_unique")]

    def __str__(self):
        return f"Figures block {self.block} of project {self.project_id}"


class ProjectFigures(models.Model):
    """A project's cached figures of one `kind` (the default agreement answer, the owner's stats, the γ pooled
    from the documents' γ, the assignments per annotator and status the overview shows), as of `computed_at`: the
    database time the refresh that made them started reading (γ: when it was pooled)."""

    AGREEMENT, STATS, GAMMA, PROGRESS = "agreement", "stats", "gamma", "progress"
    KINDS = [(AGREEMENT, "agreement"), (STATS, "stats"), (GAMMA, "gamma"), (PROGRESS, "progress")]

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=KINDS)
    data = models.JSONField()
    computed_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["project", "kind"], name="project_figures_unique_kind")]

    def __str__(self):
        return f"{self.kind} of project {self.project_id}"
