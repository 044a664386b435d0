"""Page-number pagination with the same shape for every API list and page."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Schema
from ninja.pagination import PaginationBase


class PageNumberPagination(PaginationBase):
    """``?page=2&page_size=50``; the response carries the total count and the page's items."""

    class Input(Schema):
        page: int = Field(1, ge=1, description="Page number, from 1.")
        page_size: int = Field(
            settings.API_PAGE_SIZE,
            ge=1,
            le=settings.API_MAX_PAGE_SIZE,
            description="Items per page.",
        )

    class Output(Schema):
        count: int
        page: int
        page_size: int
        pages: int
        items: list[Any]

    items_attribute: str = "items"

    def paginate_queryset(
        self,
        queryset: QuerySet[Any],
        pagination: Any,
        request: HttpRequest | None = None,
        **params: Any,
    ) -> dict[str, Any]:
        count = queryset.count() if isinstance(queryset, QuerySet) else len(queryset)
        size = pagination.page_size
        start = (pagination.page - 1) * size
        return {
            "count": count,
            "page": pagination.page,
            "page_size": size,
            "pages": max(1, -(-count // size)),
            "items": list(queryset[start : start + size]),
        }
