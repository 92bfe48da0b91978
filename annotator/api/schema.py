"""The OpenAPI schema: drf-spectacular's, plus the error answers each operation can give, in the one error shape
annotator.api.errors produces, so that a client (and the schema fuzz test) knows every status it may get."""

from drf_spectacular import openapi
from drf_spectacular.plumbing import ResolvedComponent
from drf_spectacular.utils import OpenApiResponse, PolymorphicProxySerializer
from rest_framework import serializers
from rest_framework.permissions import SAFE_METHODS, AllowAny, IsAdminUser

# Only modules without @extend_schema: that decorator loads this module (DEFAULT_SCHEMA_CLASS) when it runs.
from annotator.api.base import ScopedView

PAGINATION = {"page", "page_size"}
VALIDATION_ERROR = {
    "description": '{"detail": "…"} or {field: ["…"]} naming each wrong field; for a list, one such object per item.',
    "oneOf": [
        {"type": "object", "additionalProperties": {}},
        {"type": "array", "items": {"type": "object", "additionalProperties": {}}},
    ],
}


def one_or_many(serializer_class, name):
    """The body of a POST that takes one object or a list of them, and answers in kind (SPEC)."""
    return PolymorphicProxySerializer(
        component_name=name,
        serializers=[serializer_class, serializer_class(many=True)],
        resource_type_field_name=None,
        many=False,
    )


class ErrorSerializer(serializers.Serializer):
    """The body of most 4xx answers (annotator.api.errors); a 400 may instead name the fields."""

    detail = serializers.CharField()


class AutoSchema(openapi.AutoSchema):
    def _insert_field_validators(self, field, schema):
        super()._insert_field_validators(field, schema)
        if getattr(field, "allow_blank", False) and "format" in schema:
            # "" is a valid value of a blank-able URL or email field, but no "uri" or "email".
            schema["anyOf"] = [{"format": schema.pop("format")}, {"maxLength": 0}]

    def get_operation(self, *args, **kwargs):
        operation = super().get_operation(*args, **kwargs)
        if operation is not None:
            for code, response in self._error_responses(operation).items():
                operation["responses"].setdefault(code, self._get_response_for_code(response, code))
        return operation

    def _error_responses(self, operation):
        """Which errors this operation can answer, by the rules the views share: who may call it, whether it takes
        input, whether it names a row, whether it writes."""
        writes = self.method not in SAFE_METHODS
        has_body = "requestBody" in operation
        # ?page= past the end is a 404 and a bad ?page_size= is ignored: neither makes a 400.
        takes_input = has_body or any(
            p["in"] == "header" or (p["in"] == "query" and p["name"] not in PAGINATION)
            for p in operation.get("parameters", [])
        )
        permissions = self.view.get_permissions()
        signed_in = not any(isinstance(p, AllowAny) for p in permissions)
        errors = {}
        if takes_input:
            errors["400"] = OpenApiResponse(self._validation_error(), "The input is wrong; the body says where.")
        if signed_in:
            errors["401"] = OpenApiResponse(ErrorSerializer, "No credentials, or a token that is not valid.")
        restricted = isinstance(self.view, ScopedView) or any(isinstance(p, IsAdminUser) for p in permissions)
        if signed_in and (writes or restricted):
            errors["403"] = OpenApiResponse(
                ErrorSerializer, "The caller's role does not allow this (or a session write without its CSRF token)."
            )
        if "{" in self.path or (self._is_list_view() and self._get_paginator()):
            errors["404"] = OpenApiResponse(
                ErrorSerializer, "No such row in a project of the caller's (or no such page of the list)."
            )
        if signed_in and writes:
            errors["409"] = OpenApiResponse(
                ErrorSerializer,
                "The change conflicts with the data: a stale version (the body then also carries the current "
                "object's fields), a label in use, frozen text, or a write that lost a race.",
            )
        if has_body:
            errors["415"] = OpenApiResponse(ErrorSerializer, "The request body's content type is not accepted.")
        return errors

    def _validation_error(self):
        component = ResolvedComponent(
            name="ValidationError", type=ResolvedComponent.SCHEMA, object="ValidationError", schema=VALIDATION_ERROR
        )
        self.registry.register_on_missing(component)
        return component.ref
