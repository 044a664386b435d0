from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LibraryOaiConfig(AppConfig):
    name = "iite.library.oai"
    label = "library_oai"
    verbose_name = _("OAI-PMH")
