"""Settings for the TTB Label Verifier.

Everything comes from the environment (see the README's configuration table).
The embedded defaults need nothing: SQLite and artifacts under DATA_DIR,
Tesseract OCR. Production (`DEBUG=false`) must name its secret key and hosts.
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url

from ttbsite.env import envbool, envfloat, envint, envlist, envrate, envsecret, envstr

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(envstr("DATA_DIR", str(BASE_DIR / "data")))

DEBUG = envbool("DEBUG", True)


def _development_secret_key() -> str:
    """A random key kept in the data folder, so sessions survive a restart."""
    path = DATA_DIR / "secret_key"
    if not path.exists():
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = envsecret("SECRET_KEY", required=not DEBUG) or _development_secret_key()
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
if not DEBUG and not ALLOWED_HOSTS:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is off.")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_tasks",
    "django_tasks_db",
    "verifier",
    "artifacts",
    "modelstatus",
    "web",
    "analytics",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "ttbsite.urls"
WSGI_APPLICATION = "ttbsite.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# Database: SQLite in the data folder unless DATABASE_URL names another.
DATABASE_URL = envstr("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL, conn_max_age=envint("DATABASE_CONN_MAX_AGE", 60, minimum=0)
        )
    }
else:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "db.sqlite3",
            # WAL lets the web server read while a batch worker writes; with WAL,
            # synchronous=NORMAL is still crash-safe and makes each audit commit cheap.
            "OPTIONS": {
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "timeout": 20,
            },
            # A file, not memory, so worker subprocesses in tests see the same data.
            "TEST": {"NAME": DATA_DIR / "test-db.sqlite3"},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# Static files are served by the app (WhiteNoise): agencies block CDNs.
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_ROOT = DATA_DIR / "media"
WHITENOISE_USE_FINDERS = DEBUG  # serve app static files even before collectstatic

# Artifacts: S3 through django-storages when a bucket is configured, else the
# data folder with the same key layout.
ARTIFACT_STORAGE_ENABLED = envbool("ARTIFACT_STORAGE_ENABLED", True)
ARTIFACT_S3_BUCKET = envstr("ARTIFACT_S3_BUCKET")
ARTIFACT_S3_REGION = envstr("ARTIFACT_S3_REGION", envstr("AWS_REGION", "us-east-1"))
ARTIFACT_S3_ENDPOINT_URL = envstr("ARTIFACT_S3_ENDPOINT_URL")
ARTIFACT_DEFAULT_SAVE = envbool("ARTIFACT_DEFAULT_SAVE", False)
ARTIFACT_RETENTION_DAYS = envint("ARTIFACT_RETENTION_DAYS", 365, minimum=1)
ARTIFACT_URL_EXPIRY_SECONDS = envint("ARTIFACT_URL_EXPIRY_SECONDS", 300, minimum=1)

if ARTIFACT_S3_BUCKET:
    from artifacts.storage_config import s3_artifact_storage

    ARTIFACT_STORAGE = s3_artifact_storage(
        bucket=ARTIFACT_S3_BUCKET,
        region=ARTIFACT_S3_REGION,
        endpoint_url=ARTIFACT_S3_ENDPOINT_URL,
        url_expiry_seconds=ARTIFACT_URL_EXPIRY_SECONDS,
        connect_timeout=envfloat("ARTIFACT_S3_CONNECT_TIMEOUT", 2.0),
        read_timeout=envfloat("ARTIFACT_S3_READ_TIMEOUT", 10.0),
        max_attempts=2,
    )
else:
    ARTIFACT_STORAGE = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": DATA_DIR / "storage", "allow_overwrite": False},
    }

# Batch panels waiting for a worker: files, never database rows, deleted when
# their item finishes. In the artifact bucket under batch-panels/ when there is
# one (workers on any machine read them), else DATA_DIR/batch-panels.
if ARTIFACT_S3_BUCKET:
    BATCH_PANEL_STORAGE = {
        **ARTIFACT_STORAGE,
        "OPTIONS": {**ARTIFACT_STORAGE["OPTIONS"], "location": "batch-panels"},
    }
else:
    BATCH_PANEL_STORAGE = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": DATA_DIR / "batch-panels"},
    }

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
    "artifacts": ARTIFACT_STORAGE,
    "batch_panels": BATCH_PANEL_STORAGE,
}

# Uploads: one limit people can reason about, checked per file by the API.
MAX_UPLOAD_MB = envint("MAX_UPLOAD_MB", 10, minimum=1)
MAX_BATCH_UPLOAD_MB = envint("MAX_BATCH_UPLOAD_MB", 500, minimum=1)
MAX_PANELS = envint("MAX_PANELS", 6, minimum=1)
MAX_IMAGE_PIXELS = envint("MAX_IMAGE_PIXELS", 50_000_000, minimum=1_000_000)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024  # non-file form fields
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024  # larger files spool to disk

# Work bounds (issue 15): what one request may cost. Panels are decoded to at
# most 4000 px a side and 8 MP (verifier/engine/images.py). Each process runs
# at most ENGINE_CONCURRENCY verifications from the API and the web page at
# once; a request that finds none free within ENGINE_QUEUE_WAIT_SECONDS is
# answered 503 with Retry-After. Batch items are not counted: they queue.
ENGINE_CONCURRENCY = envint("ENGINE_CONCURRENCY", len(os.sched_getaffinity(0)), minimum=1)
ENGINE_QUEUE_WAIT_SECONDS = envfloat("ENGINE_QUEUE_WAIT_SECONDS", 0.25)

# OCR backends.
OLLAMA_HOST = envstr("OLLAMA_HOST")
OLLAMA_MODEL = envstr("OLLAMA_MODEL", "llama3.2-vision")
OLLAMA_TIMEOUT = envfloat("OLLAMA_TIMEOUT", 60.0)
# Model requests in flight per process: each holds GPU memory; others wait.
OLLAMA_MAX_CONCURRENCY = envint("OLLAMA_MAX_CONCURRENCY", 1, minimum=1)
# Threads the second OCR engine (RapidOCR) uses per call: both cores for one
# request at a time; 1 where a process per core shares the machine (serve.sh's
# task workers).
OCR_THREADS = envint("OCR_THREADS", 2, minimum=1)
# With a vision model configured, Tesseract first and the model where it could not read.
OCR_DEFAULT_BACKEND = envstr("OCR_DEFAULT_BACKEND", "auto" if OLLAMA_HOST else "tesseract")
VERIFY_TIMEOUT_SECONDS = envfloat("VERIFY_TIMEOUT_SECONDS", 30.0)

# Model download status (written by `manage.py fetch_model`).
MODEL_STATUS_FILE = Path(envstr("MODEL_STATUS_FILE", str(DATA_DIR / "model-status.json")))
MODEL_BUCKET = envstr("MODEL_BUCKET")
OLLAMA_MODELS_DIR = Path(envstr("OLLAMA_MODELS_DIR", str(DATA_DIR / "ollama-models")))

HEALTH_PROBE_TIMEOUT_SECONDS = envfloat("HEALTH_PROBE_TIMEOUT_SECONDS", 0.8)

# API.
VERIFY_ALLOW_ANONYMOUS = envbool("VERIFY_ALLOW_ANONYMOUS", DEBUG)
# Batches: a ZIP is checked against these before anything is stored. 500
# labels of a few panels must fit; a ZIP bomb must not.
BATCH_MAX_ENTRIES = envint("BATCH_MAX_ENTRIES", 1000, minimum=1)
BATCH_MAX_UNCOMPRESSED_MB = envint("BATCH_MAX_UNCOMPRESSED_MB", 2048, minimum=1)
BATCH_MAX_COMPRESSION_RATIO = envint("BATCH_MAX_COMPRESSION_RATIO", 100, minimum=2)
# A batch item whose worker died is re-queued once it has been running this
# long, up to BATCH_ITEM_MAX_ATTEMPTS times, then marked failed.
BATCH_ITEM_LEASE_SECONDS = envint("BATCH_ITEM_LEASE_SECONDS", 300, minimum=1)
BATCH_ITEM_MAX_ATTEMPTS = envint("BATCH_ITEM_MAX_ATTEMPTS", 3, minimum=1)
# Scaling bench only (issue 17): a dotted path to a stand-in for the engine that
# verifications run; None, always in production, runs verifier.engine.verify_label.
# Deliberately not read from the environment: only bench/scale_settings.py sets it.
VERIFY_ENGINE: str | None = None
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "rest_framework.parsers.MultiPartParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.JSONParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "ttbsite.errors.api_exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "TTB Label Verifier API",
    "DESCRIPTION": "Checks alcohol beverage labels against 27 CFR and the filed application.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Three choice sets share the field name "outcome": each gets its own name.
    "ENUM_NAME_OVERRIDES": {
        "CheckOutcomeEnum": "verifier.engine.models.Outcome",
        "OverrideOutcomeEnum": "verifier.services.decisions.OVERRIDE_OUTCOMES",
        "DecisionOutcomeEnum": "verifier.models.DecisionOutcome",
    },
}

# Background work: Django's Tasks framework with its database backend, so any
# number of `db_worker` processes share one queue through the database.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# Proxies in front of the app that append to X-Forwarded-For (the ALB: 1);
# the audit trail records the address the nearest of them saw.
TRUSTED_PROXY_HOPS = envint("TRUSTED_PROXY_HOPS", 0, minimum=0)

# Production hardening (behind the ALB, which terminates TLS).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
if not DEBUG:
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^health$"]  # the ALB's target health check speaks HTTP
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31_536_000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# ---------------------------------------------------------------------------
# Hardening (issue 15, part A): text inputs, sign-in and API throttling, hashed
# expiring tokens, security headers. Every limit is an environment setting
# with the default shown in the README's table.

# Text and JSON inputs (ttbsite/text_inputs.py): one rule for every field.
MAX_JSON_KB = envint("MAX_JSON_KB", 1024, minimum=1)
MAX_JSON_DEPTH = envint("MAX_JSON_DEPTH", 10, minimum=3)
MIDDLEWARE.insert(1, "ttbsite.text_input_guards.QueryTextMiddleware")  # after SecurityMiddleware
REST_FRAMEWORK["DEFAULT_PARSER_CLASSES"] = [
    "rest_framework.parsers.MultiPartParser",
    "rest_framework.parsers.FormParser",
    "ttbsite.text_input_guards.GuardedJSONParser",
]

# API tokens: hashed at rest, expiring (django-rest-knox), failures throttled.
INSTALLED_APPS.remove("rest_framework.authtoken")  # plaintext keys: see apitokens/migrations
INSTALLED_APPS += ["knox", "apitokens", "axes", "csp"]
API_TOKEN_TTL_DAYS = envint("API_TOKEN_TTL_DAYS", 90, minimum=1)
REST_KNOX = {"TOKEN_TTL": timedelta(days=API_TOKEN_TTL_DAYS), "AUTO_REFRESH": False}
REST_FRAMEWORK["DEFAULT_AUTHENTICATION_CLASSES"] = [
    "apitokens.authentication.ThrottledTokenAuthentication",
    "rest_framework.authentication.SessionAuthentication",
]

# API throttles (ttbsite/throttles.py), per user or per client address.
API_THROTTLE_RATES = {
    "verify": envrate("THROTTLE_VERIFY_RATE", "300/minute"),
    "batches": envrate("THROTTLE_BATCHES_RATE", "30/minute"),
    "token_failures": envrate("THROTTLE_TOKEN_FAILURES_RATE", "20/minute"),
}
REST_FRAMEWORK["DEFAULT_THROTTLE_CLASSES"] = ["ttbsite.throttles.RouteThrottle"]
REST_FRAMEWORK["NUM_PROXIES"] = TRUSTED_PROXY_HOPS

# Sign-in (the admin and the agents' page): django-axes locks out a user name
# from one address after SIGN_IN_FAILURE_LIMIT failures, for SIGN_IN_LOCKOUT_MINUTES.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
MIDDLEWARE.append("axes.middleware.AxesMiddleware")
AXES_FAILURE_LIMIT = envint("SIGN_IN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=envint("SIGN_IN_LOCKOUT_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "ttbsite.client_address.client_ip"
AXES_LOCKOUT_CALLABLE = "ttbsite.errors.signed_in_too_often"

# Password reset e-mails only where mail is really sent (ttbsite/urls.py).
EMAIL_HOST = envstr("EMAIL_HOST")
if EMAIL_HOST:
    EMAIL_PORT = envint("EMAIL_PORT", 587, minimum=1)
    EMAIL_HOST_USER = envstr("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = envsecret("EMAIL_HOST_PASSWORD", required=False) or ""
    EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", True)
    DEFAULT_FROM_EMAIL = envstr("DEFAULT_FROM_EMAIL", "webmaster@localhost")

# The OpenAPI schema lists each operation's errors and closed request bodies.
REST_FRAMEWORK["DEFAULT_SCHEMA_CLASS"] = "ttbsite.schema.ApiSchema"
SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"] = [
    "drf_spectacular.hooks.postprocess_schema_enums",
    "ttbsite.schema.close_request_bodies",
    "ttbsite.schema.enumerate_check_ids",
]

# Content-Security-Policy (django-csp): no inline script and no inline style
# anywhere; only the API docs page (Swagger UI styles itself inline) is given
# 'unsafe-inline' styles, in ttbsite/urls.py.
MIDDLEWARE.append("csp.middleware.CSPMiddleware")
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# ---------------------------------------------------------------------------

# Analytics (issue 16): `detect_anomalies` posts new alerts as JSON to this URL
# when it is set (e.g. a chat or paging webhook); unset, they are only rows.
ANALYTICS_ALERT_WEBHOOK_URL = envstr("ANALYTICS_ALERT_WEBHOOK_URL")
ANALYTICS_ALERT_WEBHOOK_TIMEOUT = envfloat("ANALYTICS_ALERT_WEBHOOK_TIMEOUT", 5.0)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": envstr("LOG_LEVEL", "INFO")},
}
