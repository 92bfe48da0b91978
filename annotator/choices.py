"""The fixed vocabularies of Slant's data: roles and statuses. Models, querysets and permissions all read them, so
they live below all three (no import loop)."""

from django.db import models


class Role(models.TextChoices):
    OWNER = "owner"
    REVIEWER = "reviewer"
    ANNOTATOR = "annotator"


class AssignmentStatus(models.TextChoices):
    ASSIGNED = "assigned"
    IN_PROGRESS = "in_progress"
    SUBMITTED = "submitted"


class ReviewStatus(models.TextChoices):
    PENDING = "pending"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


class RelationEnd(models.TextChoices):
    """The two ends of a relation type, whose allowed labels are its `from_labels` and `to_labels`."""

    FROM = "from"
    TO = "to"


class QuestionKind(models.TextChoices):
    """What a document question's answer is: one option, a set of options, or an integer of a scale."""

    SINGLE = "single"
    MULTI = "multi"
    SCALE = "scale"


class Decision(models.TextChoices):
    """What a user made of a suggestion."""

    ACCEPTED = "accepted"
    REJECTED = "rejected"


class RecommenderKind(models.TextChoices):
    """The suggestion makers a project can configure (SPEC "Suggestions"): three local, two remote over HTTP."""

    LEXICON = "lexicon"
    MEMORY = "memory"
    ATTRIBUTION = "attribution"
    HTTP = "http"
    LABELSTUDIO_ML = "labelstudio-ml"


class JobKind(models.TextChoices):
    """What a background job does."""

    RECOMMENDER = "recommender"
    IMPORT = "import"
    GAMMA = "gamma"


class JobStatus(models.TextChoices):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
