"""Request parsers: DRF's, minus the bodies that would otherwise end in a 5xx."""

from rest_framework import parsers
from rest_framework.exceptions import ParseError

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


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser that also answers 400 to JSON nested too deeply and to lone surrogate escapes."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(f"JSON parse error - nested deeper than {MAX_DEPTH} levels.") from None
        problem = _problem(data)
        if problem:
            raise ParseError(f"JSON parse error - {problem}")
        return data
