"""The library API, mounted at /api/v1/library/."""

from ninja import Router

router = Router(tags=["library"])
