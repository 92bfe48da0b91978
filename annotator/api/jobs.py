"""A project's background jobs (owners and reviewers watch them).

A job in the API (SPEC "Jobs"):

    {"id": 5, "kind": "recommender", "status": "running", "total": 120, "done": 48,
     "errors": [{"documents": [31, 32], "message": "http://models:9090/ gave no complete answer within 30 s."}],
     "created_by": "owner", "created_at": "…", "started_at": "…", "finished_at": null, "result": null}

`status`: queued, running, done or failed. `done` counts the documents finished (their suggestions stored, or their
error recorded) out of `total`. A job ends `done` when it worked through every document (some may have errors) and
`failed` when it could not (the recommender deleted or its config no longer holding, every document in error, an
unexpected error, or its worker stopped: a running job whose worker stopped shows as failed with an error saying
so). Filters: ?recommender=<id>, ?status=<status>.

An import job (`kind` "import", queued by POST …/imports/ for a large file): `total` is the most documents the file
can hold (its lines, for jsonl, doccano and csv; 0 while unknown for the other formats), `done` the documents read
and written so far in its one transaction (on PostgreSQL; SQLite shows them at the end); it ends `done` with the
counts in `result`, or `failed` with one error a problem of the file, `{"documents": [], "line", "message"}` as the
400 of a small file lists them, and nothing stored.
"""

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from annotator.access import access_job
from annotator.api.base import ID_MAX, ScopedListView, ScopedView
from annotator.choices import JobKind, JobStatus
from annotator.models import Job
from annotator.permissions import REVIEWERS
from annotator.representations import job_json
from annotator.selectors.jobs import job_list


class JobErrorSerializer(serializers.Serializer):
    documents = serializers.ListField(child=serializers.IntegerField(), help_text="The documents it concerns.")
    line = serializers.IntegerField(
        required=False, allow_null=True, help_text="An import's problem: its line (a CSV's row); null: the whole file."
    )
    message = serializers.CharField()


class JobSerializer(serializers.Serializer):
    """A job as SPEC's Jobs section shows it."""

    id = serializers.IntegerField(read_only=True)
    kind = serializers.ChoiceField(choices=JobKind.choices, read_only=True)
    status = serializers.ChoiceField(choices=JobStatus.choices, read_only=True)
    total = serializers.IntegerField(read_only=True, help_text="Documents to work on.")
    done = serializers.IntegerField(read_only=True, help_text="Documents finished (stored or in error).")
    errors = JobErrorSerializer(many=True, read_only=True)
    created_by = serializers.CharField(read_only=True, allow_null=True, help_text="Username of who asked for it.")
    created_at = serializers.DateTimeField(read_only=True)
    started_at = serializers.DateTimeField(read_only=True, allow_null=True)
    finished_at = serializers.DateTimeField(read_only=True, allow_null=True)
    result = serializers.JSONField(
        read_only=True,
        allow_null=True,
        help_text="An import's counts once it is done (as POST …/imports/ answers them with 201); else null.",
    )

    def to_representation(self, job):
        return job_json(job, now=self.context["now"])


RECOMMENDER = OpenApiParameter("recommender", int, required=False, description="Only the jobs of this recommender.")
STATUS = OpenApiParameter(
    "status", str, required=False, enum=JobStatus.values, description="Only the jobs stored in this status."
)


class JobListView(ScopedListView):
    """The project's jobs, newest first."""

    queryset = Job.objects.none()  # for the schema
    serializer_class = JobSerializer
    roles = {"GET": REVIEWERS}

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "now": timezone.now()}

    def project_queryset(self):
        params = self.request.query_params
        recommender = params.get("recommender")
        if recommender is not None and not (
            recommender.isascii() and recommender.isdigit() and 1 <= int(recommender) <= ID_MAX
        ):
            raise ValidationError({"recommender": ["Give a recommender's id."]})
        status = params.get("status")
        if status is not None and status not in JobStatus.values:
            raise ValidationError({"status": [f"Must be one of {', '.join(JobStatus.values)}."]})
        return job_list(
            project_id=self.member.project_id,
            recommender_id=None if recommender is None else int(recommender),
            status=status,
        )

    @extend_schema(parameters=[RECOMMENDER, STATUS])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class JobDetailView(ScopedView):
    serializer_class = JobSerializer
    roles = {"GET": REVIEWERS}

    def get(self, request, project_id, job_id):
        job = access_job(self.member, job_id)
        return Response(JobSerializer(job, context={"now": timezone.now()}).data)
