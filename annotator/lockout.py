"""Sign-in lockout (django-axes), for both faces: how long a locked-out pair waits, and the answer to a sign-in
attempt that axes locked out (AXES_LOCKOUT_CALLABLE): 429 with a readable page.

The token endpoint answers its own JSON 429 (annotator.api.tokens) with the same wait; the page serves the sign-in
form and the admin's."""

from axes.helpers import get_cool_off, get_lockout_message
from django.shortcuts import render


def retry_after_seconds(request=None):
    """How long a locked-out pair waits at most: the cool-off, counted from its last counted failure."""
    return int(get_cool_off(request).total_seconds())


def lockout_response(request, original_response=None, credentials=None):
    response = render(request, "registration/locked_out.html", {"message": get_lockout_message()}, status=429)
    response["Retry-After"] = str(retry_after_seconds(request))
    return response
