from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo Verbandsgemeinde for `python3 dorfkern.py run` (no models; only `manage.py load_demo`)."""

    name = "demo"
    label = "demo"
    verbose_name = "Demo data"
