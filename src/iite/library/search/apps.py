from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LibrarySearchConfig(AppConfig):
    name = "iite.library.search"
    label = "library_search"
    verbose_name = _("Knowledge hub search")
