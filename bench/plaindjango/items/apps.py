from django.apps import AppConfig


class ItemsConfig(AppConfig):
    name = "plaindjango.items"
    label = "items"
