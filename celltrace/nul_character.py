"""The NUL character (U+0000) is refused in every request's query and JSON body.

No clinical text holds one, and PostgreSQL cannot store it: a NUL in any field of the API
or in a search became a server error on PostgreSQL (and a stored value on SQLite). Django's
form fields refuse it already; this refuses it, by field, everywhere else, before a view
runs: the API answers with its documented refusal body (422), a page with 400.
"""

from __future__ import annotations

import json

from django.http import HttpResponseBadRequest, JsonResponse

from celltrace.refusal import Refused

JSON = "application/json"


def nul_in(data, where: str = "") -> str | None:
    """The name of the first field of `data` holding a NUL, or None."""
    if isinstance(data, str):
        return (where or "body") if "\x00" in data else None
    if isinstance(data, dict):
        items = data.items()
    elif isinstance(data, list):
        items = ((f"[{i}]", value) for i, value in enumerate(data))
    else:
        return None
    for key, value in items:
        name = f"{where}.{key}" if where and not key.startswith("[") else f"{where}{key}"
        found = ("\x00" in key and name) or nul_in(value, name)
        if found:
            return found
    return None


class NulCharacterMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        field = nul_in({k: request.GET.getlist(k) for k in request.GET})
        if field is None and request.content_type == JSON and request.body:
            try:
                field = nul_in(json.loads(request.body))
            except ValueError:
                field = None  # not JSON: the view says so in its own words
        if field is None:
            return self.get_response(request)
        field = field.split("[", 1)[0] if field.endswith("]") else field
        refusal = Refused(
            f"{field}: the NUL character (U+0000) is not allowed in any field.",
            code="nul_character",
            field_errors={field: "The NUL character (U+0000) is not allowed."},
        )
        if request.path.startswith("/api/"):
            return JsonResponse(refusal.as_dict(), status=422)
        return HttpResponseBadRequest(refusal.message, content_type="text/plain")
