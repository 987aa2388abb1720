"""API endpoints of the outcomes stage: parse input, check access, call actions."""

from ninja import Router

router = Router(tags=["outcomes"])
