"""Sign-in lockout (django-axes), for both faces: how long a locked-out pair waits, and the answer to a sign-in
attempt that axes locked out (AXES_LOCKOUT_CALLABLE): 429 with a readable page.

The token endpoint answers its own JSON 429 (annotator.api.tokens) with the same wait; the page serves the sign-in
form and the admin's."""

import ipaddress

from axes.helpers import get_cool_off, get_lockout_message
from django.conf import settings
from django.shortcuts import render


def client_address(request):
    """The address failed sign-ins are counted against (AXES_CLIENT_IP_CALLABLE): REMOTE_ADDR; behind
    SLANT_PROXY_COUNT proxies of one's own (a load balancer), the address the outermost of them saw, which is the
    entry that many places from the right of X-Forwarded-For (each proxy appends the address it saw). Entries
    further left are the client's own say and never count; a request with fewer entries, or not an address there,
    is counted against REMOTE_ADDR."""
    count = settings.SLANT_PROXY_COUNT
    if count:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        if len(forwarded) >= count:
            try:
                return str(ipaddress.ip_address(forwarded[-count]))
            except ValueError:
                pass
    return request.META.get("REMOTE_ADDR")


def retry_after_seconds(request=None):
    """How long a locked-out pair waits at most: the cool-off, counted from its last counted failure."""
    return int(get_cool_off(request).total_seconds())


def lockout_response(request, original_response=None, credentials=None):
    response = render(request, "registration/locked_out.html", {"message": get_lockout_message()}, status=429)
    response["Retry-After"] = str(retry_after_seconds(request))
    return response
