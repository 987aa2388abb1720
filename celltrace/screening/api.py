"""API endpoints of the screening stage: parse input, check access, call actions."""

from ninja import Router

router = Router(tags=["screening"])
