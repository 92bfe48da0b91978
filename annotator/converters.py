"""URL converters shared by the API and the pages."""

from django.urls import register_converter


class IdConverter:
    """Ids of at most 18 digits: a longer number cannot be a row and must not reach the database."""

    regex = "[0-9]{1,18}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return str(value)


register_converter(IdConverter, "id")
