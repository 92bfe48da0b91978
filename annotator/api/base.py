"""The base of every project-scoped endpoint: who may call each method is data (`roles`), checked once."""

import re

from django.conf import settings
from django.db import transaction
from django.http import QueryDict
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


# The JSON type each kind of field takes, as the schema says; checked before DRF, which would take "12" for 12, 12 for
# "12" and "true" for true. Query strings and form fields are text by nature and keep DRF's reading.
JSON_TYPES = (
    (serializers.BooleanField, (bool,), "a boolean"),
    (serializers.IntegerField, (int,), "an integer"),
    (serializers.FloatField, (int, float), "a number"),
    (serializers.CharField, (str,), "a string"),
    (serializers.ChoiceField, (str,), "a string"),
    (serializers.DateTimeField, (str,), "a string"),
    (serializers.ListField, (list,), "a list"),
)


def _json_type_error(field, value):
    """The message for a `value` that is not the JSON type `field` takes (a list: nor each item its child's)."""
    for field_class, types, name in JSON_TYPES:
        if isinstance(field, field_class):
            if not isinstance(value, types) or (isinstance(value, bool) and bool not in types):
                return f"Must be {name}."
            break
    if isinstance(field, serializers.ListField) and isinstance(value, list):
        for item in value:
            if item is not None and _json_type_error(field.child, item):
                return f"Each item must be {_json_type_error(field.child, item)[len('Must be ') : -1]}."
    return None


def json_type_errors(fields, item):
    """{field: [message]} for each value of the JSON object `item` that is not the JSON type its field takes (null
    is left to the field, which knows whether it allows it)."""
    errors = {}
    if not isinstance(item, dict):
        return errors  # DRF says what is wrong with the whole item
    for field in fields.values():
        value = item.get(field.field_name)
        if field.read_only or value is None:
            continue
        message = _json_type_error(field, value)
        if message:
            errors[field.field_name] = [message]
    return errors


def validated(serializer_class, data, *, many=False, partial=False, context=None):
    """Validate `data` with `serializer_class`; returns validated data (a list when many). A JSON body's values must
    be the JSON types the schema gives (json_type_errors); query strings and form fields are read as DRF reads them."""
    serializer = serializer_class(data=data, many=many, partial=partial, context=context or {})
    if not isinstance(data, QueryDict):
        fields = (serializer.child if many else serializer).fields
        errors = [json_type_errors(fields, item) for item in (data if many and isinstance(data, list) else [data])]
        if any(errors):
            raise ValidationError(errors if many else errors[0])
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
