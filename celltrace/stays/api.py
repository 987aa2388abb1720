"""API endpoints of the stays stage: parse input, check access, call actions."""

from ninja import Router

router = Router(tags=["stays"])
