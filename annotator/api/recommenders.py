"""A project's recommenders (owners only) and running one, which queues a job for a background worker.

A recommender in the API:

    {"id": 3, "name": "cues", "kind": "lexicon",
     "config": {"entries": [{"label": 2, "phrase": "told reporters"}], "case_sensitive": false, "score": 1.0},
     "active": true, "created_at": "…"}

`config` by kind (SPEC "Suggestions"): lexicon {"entries": [{"label": id, "phrase"}], "case_sensitive"?, "score"?};
memory {}; attribution {"source"?, "cue"?, "content"?} (label ids; a role left out takes the label of that name);
http and labelstudio-ml {"url", "timeout"} (a host listed in SLANT_RECOMMENDER_HOSTS; timeout ≤ 60 s). The answer
shows the config as stored: cleaned, defaults filled in. A bad one → 400 naming the part: {"config": ["entries[3].
phrase: may not be blank."]}, {"config.url": ["…"]}, {"config.timeout": ["…"]}.

POST …/recommenders/{r}/run/ {"documents"?: [ids], "unannotated"?: true} (default: every document of the project;
`unannotated`: of those, only the ones nobody has drawn a span on) → 202 {"job": {…}}, the job as GET …/jobs/{j}/ shows
it; 409 when the recommender is inactive, its config no longer holds (a host taken off the list) or a job of it is still
queued or running; 400 naming `documents` for an id that is no document of the project.
"""

from django.utils import timezone
from drf_spectacular.utils import OpenApiExample, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response

from annotator.access import access_recommender
from annotator.api.base import ScopedListView, ScopedView, create_one_or_many, id_field, validated
from annotator.api.jobs import JobSerializer
from annotator.api.schema import one_or_many
from annotator.choices import RecommenderKind
from annotator.models import RECOMMENDER_NAME_MAX, Recommender
from annotator.permissions import OWNERS
from annotator.representations import job_json, recommender_json
from annotator.selectors.jobs import recommender_list
from annotator.services.recommenders import (
    recommender_create,
    recommender_delete,
    recommender_run,
    recommender_update,
)
from annotator.tasks import run_recommender_job

RUN_DOCUMENTS_MAX = 100_000


class RecommenderSerializer(serializers.Serializer):
    """A recommender: `config` depends on `kind` (see SPEC "Suggestions"); its suggestions' source is kind:name."""

    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(max_length=RECOMMENDER_NAME_MAX, help_text="Unique in the project.")
    kind = serializers.ChoiceField(choices=RecommenderKind.choices)
    config = serializers.JSONField(
        required=False, default=dict, help_text="By kind: see SPEC. Checked, cleaned and shown with defaults filled."
    )
    active = serializers.BooleanField(required=False, default=True, help_text="Only an active one runs.")
    created_at = serializers.DateTimeField(read_only=True)

    def to_representation(self, recommender):
        return recommender_json(recommender)


class RunSerializer(serializers.Serializer):
    documents = serializers.ListField(
        child=id_field(),
        required=False,
        allow_empty=False,
        max_length=RUN_DOCUMENTS_MAX,
        help_text="Ids of the project's documents to run on; left out: every document of the project.",
    )
    unannotated = serializers.BooleanField(
        required=False, default=False, help_text="true: of those, only the documents nobody has drawn a span on."
    )


EXAMPLES = [
    OpenApiExample(
        "A lexicon of reporting verbs",
        value={
            "name": "cues",
            "kind": "lexicon",
            "config": {"entries": [{"label": 2, "phrase": "told reporters"}, {"label": 2, "phrase": "said"}]},
        },
        request_only=True,
    ),
    OpenApiExample(
        "A team's own model",
        value={"name": "ner", "kind": "http", "config": {"url": "http://models.example.org:9090/", "timeout": 30}},
        request_only=True,
    ),
]


class RecommenderListView(ScopedListView):
    """The project's recommenders by name; owners add one or a list."""

    queryset = Recommender.objects.none()  # for the schema
    serializer_class = RecommenderSerializer
    roles = {"GET": OWNERS, "POST": OWNERS}

    def project_queryset(self):
        return recommender_list(project_id=self.member.project_id)

    @extend_schema(
        request=one_or_many(RecommenderSerializer, "RecommenderOneOrMany"),
        responses={201: one_or_many(RecommenderSerializer, "RecommenderOneOrManyAnswer")},
        examples=EXAMPLES,
    )
    def post(self, request, project_id):
        return create_one_or_many(
            self,
            request,
            RecommenderSerializer,
            lambda items: [recommender_create(member=self.member, **item) for item in items],
            RecommenderSerializer,
        )


class RecommenderDetailView(ScopedView):
    serializer_class = RecommenderSerializer
    roles = {"GET": OWNERS, "PATCH": OWNERS, "DELETE": OWNERS}

    def get(self, request, project_id, recommender_id):
        return Response(RecommenderSerializer(access_recommender(self.member, recommender_id)).data)

    def patch(self, request, project_id, recommender_id):
        recommender = access_recommender(self.member, recommender_id)
        changes = validated(RecommenderSerializer, request.data, partial=True)
        recommender = recommender_update(member=self.member, recommender=recommender, **changes)
        return Response(RecommenderSerializer(recommender).data)

    @extend_schema(responses={204: None})
    def delete(self, request, project_id, recommender_id):
        recommender_delete(member=self.member, recommender=access_recommender(self.member, recommender_id))
        return Response(status=204)


class RecommenderRunView(ScopedView):
    """Queue a job that runs the recommender over the documents asked (default: all): 202 {"job": {…}}; a worker
    does the work, and GET …/jobs/{j}/ shows its progress."""

    serializer_class = RunSerializer
    roles = {"POST": OWNERS}

    @extend_schema(
        request=RunSerializer,
        responses={202: inline_serializer("RecommenderRunAnswer", {"job": JobSerializer()})},
        examples=[OpenApiExample("Two documents", value={"documents": [3, 7]}, request_only=True)],
    )
    def post(self, request, project_id, recommender_id):
        recommender = access_recommender(self.member, recommender_id)
        body = validated(RunSerializer, request.data if request.data else {})
        job = recommender_run(
            member=self.member,
            recommender=recommender,
            documents=body.get("documents"),
            unannotated=body["unannotated"],
            enqueue=lambda job_id: run_recommender_job.enqueue(job_id).id,
        )
        job.created_by = request.user
        return Response({"job": job_json(job, now=timezone.now())}, status=202)
