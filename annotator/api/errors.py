"""One error shape: domain errors and database integrity races become 4xx JSON answers, never a 5xx."""

from django.db import IntegrityError
from django.http import JsonResponse
from django.views.defaults import page_not_found
from django.views.defaults import server_error as server_error_page
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from annotator import errors
from annotator.models import Answer, GoldAnswer, GoldRelation, GoldSpan, Relation, Span
from annotator.representations import (
    answer_json,
    gold_answer_json,
    gold_json,
    gold_relation_json,
    relation_json,
    span_json,
)

_REPRESENTATIONS = {
    Span: lambda span: span_json(span, span.document.text),
    GoldSpan: lambda gold: gold_json(gold, gold.document.text),
    Relation: relation_json,
    GoldRelation: gold_relation_json,
    Answer: answer_json,
    GoldAnswer: gold_answer_json,
}


def _representation(obj):
    return _REPRESENTATIONS[type(obj)](obj)


def _object_per_item(detail):
    """DRF answers some validation errors as a bare list: the messages of an error raised without a field, or,
    for a list POST, one entry per item that is a list of messages when the item is not an object at all.
    SPEC's shape is {field: [messages]}: such messages go under "non_field_errors", as DRF names them."""
    if all(isinstance(entry, str) for entry in detail):
        return {"non_field_errors": detail}
    return [entry if isinstance(entry, dict) else {"non_field_errors": entry} for entry in detail]


def exception_handler(exc, context):
    """DRF's handler, plus: DomainError → its status with {"detail"} or {field: [...]}; ConflictWith (a stale
    version, a span, relation or answer given twice) → 409 with the current object's fields beside "detail";
    IntegrityError (a lost race on a unique rule) → 409; a ValidationError that DRF would answer as a bare list →
    objects of {field: [...]}."""
    if isinstance(exc, errors.ConflictWith):
        return Response({"detail": exc.detail, **_representation(exc.current)}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, errors.DomainError):
        body = exc.detail if isinstance(exc.detail, dict | list) else {"detail": exc.detail}
        return Response(body, status=exc.status)
    if isinstance(exc, ValidationError) and isinstance(exc.detail, list):
        exc.detail = _object_per_item(exc.detail)
    if isinstance(exc, IntegrityError):
        return Response(
            {"detail": "This conflicts with data saved at the same moment; reload and try again."},
            status=status.HTTP_409_CONFLICT,
        )
    return drf_exception_handler(exc, context)


def not_found(request, exception):
    """Django's 404 for a URL no view matches (a mistyped path, an id too long to be a row): JSON under /api/."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Not found."}, status=status.HTTP_404_NOT_FOUND)
    return page_not_found(request, exception)


def server_error(request):
    """Django's 500 for an uncaught exception: JSON under /api/, where a client reads bodies as JSON; elsewhere
    the page (500.html), which needs no database."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Server error."}, status=status.HTTP_500_INTERNAL_SERVER_ERROR)
    return server_error_page(request)
