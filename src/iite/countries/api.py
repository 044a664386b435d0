"""The countries API, mounted at /api/v1/countries/."""

from ninja import Router

router = Router(tags=["countries"])
