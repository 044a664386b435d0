"""API authentication (to be completed)."""

from ninja.security import APIKeyHeader, django_auth


class TokenAuth(APIKeyHeader):
    param_name = "Authorization"

    def authenticate(self, request, key):
        return None


SessionAuth = type(django_auth)
