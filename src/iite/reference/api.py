"""Reference data API (to be completed)."""

from ninja import Router

router = Router(tags=["reference"])
