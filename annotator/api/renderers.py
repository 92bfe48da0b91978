"""The API's JSON renderer: DRF's output, encoded by orjson."""

import orjson
from rest_framework import renderers

# What DRF escapes so that its JSON is also valid JavaScript (U+2028 LINE SEPARATOR, U+2029 PARAGRAPH SEPARATOR).
_JS_ESCAPES = ((b"\xe2\x80\xa8", b"\\u2028"), (b"\xe2\x80\xa9", b"\\u2029"))


class JSONRenderer(renderers.JSONRenderer):
    """DRF's JSONRenderer with orjson doing the encoding: the same bytes (compact, UTF-8, U+2028/U+2029 escaped)
    in a fraction of the time (a list of spans spent 7 % of its request in json.dumps). Datetimes and whatever else
    orjson does not take itself go through DRF's encoder; an indent asked for in the Accept header, keys that
    are not strings and integers past 64 bits go through DRF's renderer as before."""

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        if self.get_indent(accepted_media_type, renderer_context or {}) is None:
            try:
                encoded = orjson.dumps(
                    data, default=self.encoder_class().default, option=orjson.OPT_PASSTHROUGH_DATETIME
                )
            except orjson.JSONEncodeError:
                pass
            else:
                for character, escape in _JS_ESCAPES:
                    if character in encoded:
                        encoded = encoded.replace(character, escape)
                return encoded
        return super().render(data, accepted_media_type, renderer_context)
