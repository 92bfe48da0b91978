"""Request parsers: DRF's, minus the bodies that would otherwise end in a 5xx or hold a worker too long."""

import io

from django.conf import settings
from rest_framework import parsers, status
from rest_framework.exceptions import APIException, ParseError

MAX_DEPTH = 100  # deeper JSON would overflow the recursion of json.dumps, validators and the renderer downstream


def _problem(data):
    """Why `data` cannot be taken in: nested deeper than MAX_DEPTH, or a string (a key included) holding a
    lone surrogate U+D800..U+DFFF, which neither UTF-8, the database nor the JSON renderer can carry."""
    stack = [(data, 0)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, str):
            if not value.isascii():
                try:
                    value.encode("utf-8")
                except UnicodeEncodeError:
                    return "a lone surrogate (\\ud800-\\udfff) is not a character."
        elif isinstance(value, dict | list):
            if depth >= MAX_DEPTH:
                return f"nested deeper than {MAX_DEPTH} levels."
            items = [*value.keys(), *value.values()] if isinstance(value, dict) else value
            stack.extend((item, depth + 1) for item in items)
    return None


class BodyTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "too_large"


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser that also answers 413 to a body over SLANT_JSON_MAX_BYTES (DRF reads the stream itself, so
    Django's upload limit never applies), and 400 to JSON nested too deeply and to lone surrogate escapes."""

    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.SLANT_JSON_MAX_BYTES
        request = (parser_context or {}).get("request")
        declared = request.META.get("CONTENT_LENGTH") if request is not None else None
        too_large = BodyTooLarge(f"A JSON body holds at most {limit:,} bytes.")
        if declared and declared.isdigit() and int(declared) > limit:
            raise too_large  # refused before a byte is read
        body = stream.read(limit + 1)
        if len(body) > limit:
            raise too_large
        try:
            data = super().parse(io.BytesIO(body), media_type, parser_context)
        except RecursionError:
            raise ParseError(f"JSON parse error - nested deeper than {MAX_DEPTH} levels.") from None
        problem = _problem(data)
        if problem:
            raise ParseError(f"JSON parse error - {problem}")
        return data
