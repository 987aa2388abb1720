"""API endpoints of the lab stage: parse input, check access, call actions."""

from ninja import Router

router = Router(tags=["lab"])
