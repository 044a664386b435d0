"""URL map: language-prefixed pages, plus the API, health check and admin outside the prefix."""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from iite.config.api import api
from iite.portal import views as portal_views

urlpatterns = [
    path("healthz", portal_views.healthz, name="healthz"),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("oai", include("iite.library.oai.endpoint_urls")),
    path("", include("iite.library.sitemap")),  # /sitemap.xml (an index), /sitemap-<n>.xml
]

urlpatterns += i18n_patterns(
    path("", include("iite.portal.urls")),
    path("reference/", include("iite.reference.urls")),
    path("accounts/", include("iite.accounts.urls")),
    path("assessments/", include("iite.assessments.urls")),
    path("library/", include("iite.library.urls")),
    path("learning/", include("iite.learning.urls")),
    path("countries/", include("iite.countries.urls")),
    path("admin/", admin.site.urls),
    prefix_default_language=True,
)

handler400 = "iite.portal.views.bad_request"
handler403 = "iite.portal.views.permission_denied"
handler404 = "iite.portal.views.page_not_found"
handler500 = "iite.portal.views.server_error"
