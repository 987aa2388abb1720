"""API endpoints of the plans stage: parse input, check access, call actions."""

from ninja import Router

router = Router(tags=["plans"])
