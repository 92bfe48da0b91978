"""The base of every project-scoped endpoint: who may call each method is data (`roles`), checked once."""

import re

from django.conf import settings
from django.db import transaction
from rest_framework import generics, mixins, serializers
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response

from annotator.access import DocumentScope, access_project, access_project_document
from annotator.permissions import MEMBERS

ID_MAX = 2**63 - 1  # BigAutoField's range: larger ids are refused as input, not sent to the database.
OFFSET_MAX = 2**31 - 1  # PositiveIntegerField's range on every database Django supports.
# ASCII digits only: str.isdigit() also takes "²" and "١", which int() refuses or reads as another number.
IF_MATCH_RE = re.compile(r'(?:W/)?(?P<quote>"?)(?P<version>[0-9]{1,10})(?P=quote)')


def id_field(**kwargs):
    return serializers.IntegerField(min_value=1, max_value=ID_MAX, **kwargs)


def offset_field(**kwargs):
    return serializers.IntegerField(min_value=0, max_value=OFFSET_MAX, **kwargs)


def version_field():
    """The version the client last saw (optional: without it the client takes the risk)."""
    return serializers.IntegerField(required=False, min_value=1, max_value=OFFSET_MAX)


class ScopedView(generics.GenericAPIView):
    """Resolves `self.member` for the URL's project (404 for non-members) and checks the caller's role
    against `roles[method]` (403). Nested views get `self.document` the same way."""

    roles: dict[str, frozenset] = {}

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        scope = DocumentScope.of(kwargs)
        if scope is not None:  # a foreign document id is 404 before any 403
            self.member, self.document = access_project_document(
                request.user, *scope[:2], scope=getattr(request, "document_scope", None)
            )
        else:
            self.member = access_project(request.user, kwargs["project_id"])
        if not hasattr(self, request.method.lower()):
            return  # dispatch answers 405
        if request.method == "OPTIONS":
            allowed = MEMBERS
        else:
            allowed = self.roles["GET" if request.method == "HEAD" else request.method]
        if self.member.role not in allowed:
            raise PermissionDenied("Your role in this project does not allow this.")

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if hasattr(self, "document"):
            context["document"] = self.document
        return context


class ScopedListView(mixins.ListModelMixin, ScopedView):
    """A paginated, filtered list of `get_queryset()` ({count, next, previous, results})."""

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no project
            return self.queryset
        return self.project_queryset()

    def filters_asked(self):
        """Whether the request names one of the filterset's filters."""
        filterset_class = getattr(self, "filterset_class", None)
        names = filterset_class.base_filters if filterset_class else ()
        return any(name in self.request.query_params for name in names)

    def filter_queryset(self, queryset):
        # Building the filter form costs a fifth of a span list; most requests send no filter at all.
        if not self.filters_asked():
            return queryset
        return super().filter_queryset(queryset)

    def get(self, request, *args, **kwargs):
        return self.list(request, *args, **kwargs)


def validated(serializer_class, data, *, many=False, partial=False, context=None):
    """Validate `data` with `serializer_class`; returns validated data (a list when many)."""
    serializer = serializer_class(data=data, many=many, partial=partial, context=context or {})
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def create_one_or_many(view, request, input_class, create_many, output_class):
    """POST of one object answers 201 with it; POST of a list (at most SLANT_LIST_MAX_ITEMS) answers 201 with the
    list (SPEC). A list is stored all or nothing."""
    many = isinstance(request.data, list)
    if many and not request.data:
        raise ValidationError({"non_field_errors": ["Send at least one object."]})
    if many and len(request.data) > settings.SLANT_LIST_MAX_ITEMS:
        limit = settings.SLANT_LIST_MAX_ITEMS
        raise ValidationError({"non_field_errors": [f"A list holds at most {limit} items; send the rest in another."]})
    items = validated(input_class, request.data, many=many, context=view.get_serializer_context())
    if many:
        with transaction.atomic():  # a list is stored all or nothing
            created = create_many(items)
    else:
        created = create_many([items])  # the service is atomic itself; no savepoint around it
    data = output_class(created, many=True, context=view.get_serializer_context()).data
    return Response(data if many else data[0], status=201)


def expected_version(request, body_version=None):
    """The version the client last saw: `version` in the body, else an If-Match header ("3", W/"3" or 3)."""
    if body_version is not None:
        return body_version
    header = request.headers.get("If-Match")
    if header is None or header.strip() == "*":
        return None
    match = IF_MATCH_RE.fullmatch(header.strip())
    if match is None:
        raise ValidationError({"If-Match": ['Send the version you last saw, e.g. If-Match: "3".']})
    return int(match["version"])
