"""API schemas every router shares: how a refusal looks to an API client."""

from ninja import Schema


class RefusalOut(Schema):
    """An action's refusal: the reason, its stable code and parameters, and per-field reasons."""

    detail: str
    code: str
    params: dict[str, str] = {}
    errors: dict[str, str] = {}
