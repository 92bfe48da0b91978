import django_filters
from django.conf import settings
from django.contrib.auth import get_user_model
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.response import Response

from annotator.access import access_assignment
from annotator.api.base import ScopedListView, ScopedView, create_one_or_many, validated
from annotator.api.schema import one_or_many
from annotator.choices import AssignmentStatus
from annotator.models import Assignment, Document
from annotator.permissions import MEMBERS, OWNERS, REVIEWERS, sees_all_spans
from annotator.rules import metadata_problems, text_problems, url_problems
from annotator.selectors.documents import document_filter, document_list
from annotator.services.assignments import assignment_create, assignment_delete, document_submit
from annotator.services.documents import document_create_many, document_delete, document_update


class NulFreeDateTimeField(serializers.DateTimeField):
    """CPython's datetime.fromisoformat stops reading at U+0000, so "2024-05-01T10:00\x00junk" would pass."""

    def to_internal_value(self, value):
        if isinstance(value, str) and "\x00" in value:
            raise serializers.ValidationError("Null characters (U+0000) are not allowed.")
        return super().to_internal_value(value)


@extend_schema_field({"type": "string", "format": "iri", "maxLength": 2000})
class WebAddressField(serializers.CharField):
    """A document's url: an http(s) IRI (rules.url_problems), which may hold non-ASCII characters as browsers show
    them, so the schema says iri rather than uri."""


class AssignmentSerializer(serializers.ModelSerializer):
    username = serializers.CharField(source="user.username", read_only=True)

    class Meta:
        model = Assignment
        fields = ["id", "document", "username", "status"]
        read_only_fields = fields


class AssignmentCreateSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)


class DocumentSerializer(serializers.ModelSerializer):
    text = serializers.CharField(trim_whitespace=False, help_text="Stored as given; line endings become \\n.")
    published_at = NulFreeDateTimeField(required=False, allow_null=True)
    url = WebAddressField(required=False, allow_blank=True, max_length=2000)
    metadata = serializers.DictField(
        required=False, help_text="A JSON object nested at most 32 deep; numbers (integers, finite floats) within ±2⁶³."
    )
    assignments = serializers.SerializerMethodField()

    class Meta:
        model = Document
        fields = [
            "id",
            "text",
            "title",
            "external_id",
            "source",
            "url",
            "author",
            "published_at",
            "language",
            "metadata",
            "assignments",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "assignments", "created_at", "updated_at"]

    @extend_schema_field(AssignmentSerializer(many=True))
    def get_assignments(self, document):
        """Every assignment, or in a blind project the annotator's own (context `assignments_of`: a user id)."""
        rows = document.assignments.all()
        only = self.context.get("assignments_of")
        if only is not None:
            rows = [row for row in rows if row.user_id == only]
        return AssignmentSerializer(rows, many=True).data

    def validate_text(self, value):
        return _checked(text_problems(value, limit=settings.SLANT_TEXT_MAX_CODE_POINTS), value)

    def validate_metadata(self, value):
        return _checked(metadata_problems(value), value)

    def validate_url(self, value):
        return _checked(url_problems(value), value)


def _checked(problems, value):
    if problems:
        raise serializers.ValidationError([message for _, message in problems])
    return value


class DocumentFilter(django_filters.FilterSet):
    assigned_to = django_filters.CharFilter(help_text='"me", or a username')
    status = django_filters.ChoiceFilter(
        choices=AssignmentStatus.choices, help_text="With assigned_to: that annotator's status; else anyone's."
    )
    q = django_filters.CharFilter(help_text="Search title, text, external id and source.")

    class Meta:
        model = Document
        fields = []

    def filter_queryset(self, queryset):
        # The three filters depend on each other, so the selector applies them together.
        data = self.form.cleaned_data
        assigned_to = data.get("assigned_to") or None
        if assigned_to == "me":
            assigned_to = self.request.user.pk
        elif assigned_to is not None:
            user = get_user_model().objects.filter(username=assigned_to).first()
            assigned_to = user.pk if user else 0
        return document_filter(queryset, assigned_to=assigned_to, status=data.get("status"), q=data.get("q"))


def _assignments_context(view):
    """In a blind project an annotator sees their own assignment only, as they see their own spans only."""
    member = getattr(view, "member", None)
    if member is None or sees_all_spans(member):
        return {}
    return {"assignments_of": member.user_id}


class DocumentListView(ScopedListView):
    """A project's documents in id order, each with its assignments; owners add one or a list."""

    queryset = Document.objects.none()  # for the schema
    serializer_class = DocumentSerializer
    filterset_class = DocumentFilter
    roles = {"GET": MEMBERS, "POST": OWNERS}

    def project_queryset(self):
        return document_list(project=self.member.project)

    def get_serializer_context(self):
        return {**super().get_serializer_context(), **_assignments_context(self)}

    @extend_schema(
        request=one_or_many(DocumentSerializer, "DocumentCreateOneOrMany"),
        responses={201: one_or_many(DocumentSerializer, "DocumentOneOrMany")},
    )
    def post(self, request, project_id):
        return create_one_or_many(
            self,
            request,
            DocumentSerializer,
            lambda items: document_create_many(member=self.member, items=items),
            DocumentSerializer,
        )


class DocumentDetailView(ScopedView):
    serializer_class = DocumentSerializer
    roles = {"GET": MEMBERS, "PATCH": OWNERS, "DELETE": OWNERS}

    def get(self, request, project_id, document_id):
        return Response(DocumentSerializer(self.document, context=_assignments_context(self)).data)

    def patch(self, request, project_id, document_id):
        changes = validated(DocumentSerializer, request.data, partial=True)
        return Response(DocumentSerializer(document_update(member=self.member, document=self.document, **changes)).data)

    def delete(self, request, project_id, document_id):
        document_delete(member=self.member, document=self.document)
        return Response(status=204)


class UnansweredSerializer(serializers.Serializer):
    questions = serializers.ListField(
        child=serializers.CharField(), help_text="The active required questions the caller has not answered, by name."
    )


class DocumentSubmitView(ScopedView):
    """The assigned annotator marks their work on the document submitted, once every active required question is
    answered."""

    serializer_class = AssignmentSerializer
    roles = {"POST": MEMBERS}

    @extend_schema(
        request=None,
        responses={
            200: AssignmentSerializer,
            400: OpenApiResponse(UnansweredSerializer, "Required questions are still unanswered; each is named."),
        },
    )
    def post(self, request, project_id, document_id):
        return Response(AssignmentSerializer(document_submit(member=self.member, document=self.document)).data)


class AssignmentListView(ScopedListView):
    queryset = Assignment.objects.none()  # for the schema
    serializer_class = AssignmentSerializer
    roles = {"GET": REVIEWERS, "POST": REVIEWERS}

    def project_queryset(self):
        return Assignment.objects.filter(document=self.document).select_related("user").order_by("id")

    @extend_schema(request=AssignmentCreateSerializer, responses={201: AssignmentSerializer})
    def post(self, request, project_id, document_id):
        username = validated(AssignmentCreateSerializer, request.data)["username"]
        assignment = assignment_create(actor=self.member, document=self.document, username=username)
        return Response(AssignmentSerializer(assignment).data, status=201)


class AssignmentDetailView(ScopedView):
    serializer_class = AssignmentSerializer
    roles = {"DELETE": REVIEWERS}

    def delete(self, request, project_id, document_id, assignment_id):
        assignment_delete(actor=self.member, assignment=access_assignment(self.document, assignment_id))
        return Response(status=204)
