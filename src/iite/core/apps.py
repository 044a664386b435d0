from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "iite.core"
    label = "core"
