from django.apps import AppConfig
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Platform core")

    def ready(self) -> None:
        from core import metrics, page_cache, request_id

        request_id.connect_signals()
        page_cache.connect_signals()
        metrics.connect_signals()
        # sentry-sdk is imported only when a DSN is set: without one it patches and costs nothing.
        if settings.SENTRY_DSN:
            from core.sentry import sentry_init

            sentry_init()
