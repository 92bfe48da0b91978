"""One error shape: domain errors and database integrity races become 4xx JSON answers, never a 5xx."""

from django.db import IntegrityError
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from annotator import errors


def _representation(obj):
    from annotator.api.gold import GoldSpanSerializer
    from annotator.api.spans import SpanSerializer
    from annotator.models import GoldSpan, Span

    serializer = {Span: SpanSerializer, GoldSpan: GoldSpanSerializer}[type(obj)]
    return serializer(obj).data


def exception_handler(exc, context):
    """DRF's handler, plus: DomainError → its status with {"detail"} or {field: [...]}; VersionConflict → 409
    with the current object's fields beside "detail"; IntegrityError (a lost race on a unique rule) → 409."""
    if isinstance(exc, errors.VersionConflict):
        return Response({"detail": exc.detail, **_representation(exc.current)}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, errors.DomainError):
        body = exc.detail if isinstance(exc.detail, dict | list) else {"detail": exc.detail}
        return Response(body, status=exc.status)
    if isinstance(exc, IntegrityError):
        return Response(
            {"detail": "This conflicts with data saved at the same moment; reload and try again."},
            status=status.HTTP_409_CONFLICT,
        )
    return drf_exception_handler(exc, context)
