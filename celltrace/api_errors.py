"""Every error status an endpoint can answer, in the OpenAPI schema with the body it really has.

The errors come from a few places shared by every endpoint, so they are documented here once
rather than on each decorator: the session check (401), the role, site and second-factor
checks (403), lookups at the caller's site (404), a body that is not JSON (400), and the
input's validation or an action's refusal (422). A decorator declares only its successes and
the statuses its own view returns (e.g. 429 on the public request form).
"""

from http import HTTPStatus

from pydantic import TypeAdapter

from celltrace.schemas import ErrorOut, InvalidInputOut, RefusalOut

REF = "#/components/schemas/{model}"

SIGNED_IN_ERRORS = {
    401: ("Not signed in, or the session has ended: sign in again.", ErrorOut),
    403: (
        "The role, the site or the unconfirmed second factor does not allow this "
        "(code names the reason when there is one).",
        ErrorOut,
    ),
    404: ("Nothing with this identifier at the caller's site.", ErrorOut),
}
JSON_BODY_ERRORS = {400: ("The body is not JSON.", ErrorOut)}
EVERY_ENDPOINT_ERRORS = {
    422: (
        "The input does not fit the schema (detail lists each problem), or the action refused "
        "it (detail says why, code names the reason): nothing was changed.",
        RefusalOut | InvalidInputOut,
    ),
}


def errors_of(operation: dict) -> dict[int, tuple[str, object]]:
    """The error statuses an operation can answer, read from what it takes."""
    errors = dict(EVERY_ENDPOINT_ERRORS)
    if operation.get("security"):
        errors |= SIGNED_IN_ERRORS
    if "application/json" in operation.get("requestBody", {}).get("content", {}):
        errors |= JSON_BODY_ERRORS
    return errors


def document_errors(schema: dict) -> dict:
    """Add each operation's error responses (and their bodies' schemas) to the OpenAPI schema."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    for path in schema.get("paths", {}).values():
        for operation in path.values():
            responses = _one_key_a_status(operation.setdefault("responses", {}))
            operation["responses"] = responses
            for status, (description, body) in errors_of(operation).items():
                responses[status] = {
                    "description": f"{HTTPStatus(status).phrase}: {description}",
                    "content": {"application/json": {"schema": _schema(body, components)}},
                }
    return schema


def _one_key_a_status(responses: dict) -> dict:
    """Merge a status written as text (an endpoint's openapi_extra) into ninja's numbered one.

    Both would become the same key in JSON, and the later would silently replace the other.
    """
    merged: dict[int, dict] = {}
    for status, response in responses.items():
        merged.setdefault(int(status), {}).update(response)
    return merged


def _schema(body, components: dict) -> dict:
    """The body's JSON schema, each model in it a component referred to by name."""
    json_schema = TypeAdapter(body).json_schema(ref_template=REF, mode="serialization")
    components.update(json_schema.pop("$defs", {}))
    if isinstance(body, type):
        components[body.__name__] = json_schema
        return {"$ref": REF.format(model=body.__name__)}
    return json_schema
