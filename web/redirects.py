"""303 See Other: the answer to a form that wrote something."""

from __future__ import annotations

from django.http import HttpResponseRedirect


def see_other(url: str) -> HttpResponseRedirect:
    """Send the browser to `url` with a GET, so a reload never posts again."""
    response = HttpResponseRedirect(url)
    response.status_code = 303
    return response
