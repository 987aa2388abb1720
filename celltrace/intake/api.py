"""API endpoints of the intake stage: parse input, check access, call actions."""

from ninja import Router

router = Router(tags=["intake"])
