"""The library API, mounted at /api/v1/library/."""

from ninja import Router

from iite.library.oai.api import router as oai_router
from iite.library.search.api import router as search_router

router = Router(tags=["library"])
router.add_router("/", search_router)
router.add_router("/harvest/", oai_router)
