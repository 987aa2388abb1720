"""API endpoints of the followup stage: parse input, check access, call actions."""

from ninja import Router

router = Router(tags=["followup"])
