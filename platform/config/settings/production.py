"""Production: everything from the environment; passes `manage.py check --deploy`."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env

DEBUG = False
SECRET_KEY = env("SECRET_KEY")
# Rotating SECRET_KEY (docs/operations.md): the old key goes here for a while, so sessions, reset links and
# signed values made with it stay valid until they expire instead of failing at once.
SECRET_KEY_FALLBACKS = env.list("SECRET_KEY_FALLBACKS", default=[])
SITE_SCHEME = "https"
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
# __Host- cookies are bound to the exact host, never a parent domain (ISOLATION T3).
SESSION_COOKIE_NAME = "__Host-sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken"
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
}

# --- Stripe: real secrets or no start ------------------------------------------------------
# Sponsorships and the towns' plans are paid through Stripe. base.py's defaults are the repository's
# test values for localstripe; in production they (or empty values) would fail every payment and
# every webhook without a word, so the settings refuse to load instead. BILLING_ENABLED=false is
# for jobs that take no money (collectstatic while the image is built): then no Stripe call can succeed.
BILLING_ENABLED = env.bool("BILLING_ENABLED", default=True)
_STRIPE_SECRETS = {
    "STRIPE_API_KEY": (("sk_live_", "sk_test_", "rk_live_", "rk_test_"), "the secret (or restricted) API key"),
    "STRIPE_PUBLISHABLE_KEY": (("pk_live_", "pk_test_"), "the publishable key"),
    "STRIPE_WEBHOOK_SECRET": (("whsec_",), "the signing secret of the webhook endpoint /stripe/webhook/"),
}


def _stripe_secret(name: str) -> str:
    prefixes, what = _STRIPE_SECRETS[name]
    value = env(name, default="").strip()
    if not value.startswith(prefixes) or value.endswith("_dorfkern"):
        raise ImproperlyConfigured(
            f"{name} must be {what} from the Stripe dashboard ({prefixes[0]}…); it is "
            f"{'missing' if not value else 'not a real Stripe value'}. Production never uses the "
            "repository's test values. Set BILLING_ENABLED=false only for jobs that take no money."
        )
    return value


if BILLING_ENABLED:
    STRIPE_API_KEY = _stripe_secret("STRIPE_API_KEY")
    STRIPE_PUBLISHABLE_KEY = _stripe_secret("STRIPE_PUBLISHABLE_KEY")
    STRIPE_WEBHOOK_SECRET = _stripe_secret("STRIPE_WEBHOOK_SECRET")
else:
    STRIPE_API_KEY = STRIPE_PUBLISHABLE_KEY = STRIPE_WEBHOOK_SECRET = ""

# --- logs and errors (issue 18 §7): JSON lines unless LOG_FORMAT=text; Sentry only with SENTRY_DSN ----
LOG_FORMAT = env("LOG_FORMAT", default="json")
LOGGING["handlers"]["console"]["formatter"] = "json" if LOG_FORMAT == "json" else "tenant_context"  # noqa: F405
CELERY_WORKER_HIJACK_ROOT_LOGGER = LOG_FORMAT != "json"
# --- mail: a real relay or no start --------------------------------------------------------
# base.py's default relay is localhost:25, which inside a container is nobody: every signup
# confirmation, password reset and notice mail would fail (retried by the outbox, then given up) with
# nothing visible at start-up. With the SMTP backend production needs EMAIL_HOST set explicitly.
EMAIL_HOST = env("EMAIL_HOST", default="").strip()
if EMAIL_BACKEND == "django.core.mail.backends.smtp.EmailBackend" and not EMAIL_HOST:  # noqa: F405
    raise ImproperlyConfigured(
        "EMAIL_HOST must name the mail relay (e.g. smtp.example.org; EMAIL_PORT, EMAIL_HOST_USER, "
        "EMAIL_HOST_PASSWORD and EMAIL_USE_TLS as the relay wants them). Without it no mail leaves the platform."
    )
