"""Slant settings: everything that varies between machines comes from the environment (SPEC "Running it")."""

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("SLANT_DATA_DIR", BASE_DIR / "data"))
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _env_flag(name, default=False):
    return os.environ.get(name, "1" if default else "0").strip().lower() in {"1", "true", "yes", "on"}


def _secret_key():
    """Use SLANT_SECRET_KEY, else a key generated once and kept in data/ (never a constant in the code)."""
    if os.environ.get("SLANT_SECRET_KEY"):
        return os.environ["SLANT_SECRET_KEY"]
    path = DATA_DIR / "secret_key"
    try:
        # O_EXCL: two processes starting at once agree on one key.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as fh:
        fh.write(secrets.token_urlsafe(50))
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = _env_flag("SLANT_DEBUG")
ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("SLANT_ALLOWED_HOSTS", "localhost,127.0.0.1").split(",") if h.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "annotator",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "annotator.web.headers.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, so that it sees the answer of the sign-in view and turns a locked-out attempt into a 429.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "project.urls"
WSGI_APPLICATION = "project.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
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

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{DATA_DIR / 'slant.sqlite3'}",
        conn_max_age=600,
        # No health check before each request: it was a round trip per request; a connection that died
        # while idle fails one request and is replaced by the next.
        conn_health_checks=False,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Server-side binding lets psycopg prepare the statements a request repeats (token, access, span
    # insert, audit insert …), sparing PostgreSQL from parsing and planning them every time.
    DATABASES["default"].setdefault("OPTIONS", {}).update({"server_side_binding": True, "prepare_threshold": 5})
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL + busy timeout + IMMEDIATE transactions: several gunicorn workers write without "database is locked";
    # the backend queues write transactions on a file lock instead of SQLite's sleeping busy handler.
    DATABASES["default"]["ENGINE"] = "project.sqlite"
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    # A file, not :memory:, so tests that race threads against a live server get one connection each.
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test.sqlite3")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Whatever one process caches another must see (DRF throttle counts, a cached figure), so the cache is a table of the
# same database, never Django's default LocMemCache, which each process keeps to itself: with several web processes
# behind a balancer without sticky sessions, a per-process cache would count a throttle per process and answer stale
# figures. The table comes with `manage.py migrate` (annotator/apps.py runs createcachetable after every migrate).
# Sessions (django.contrib.sessions' database engine), sign-in lockouts (django-axes' database handler) and the job
# queue (django-tasks-db) are tables of that database too: docs/deployment.md lists what is kept where.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "slant_cache",
    }
}

# Password guessing (django-axes): 5 failed sign-ins for one username from one address (REMOTE_ADDR), each within
# the cool-off of the one before, through the form or POST /api/v1/auth/token/, lock that pair out (429) until the
# cool-off has passed since the last counted failure; attempts while locked out are not counted, and a sign-in that
# succeeds clears the count. Other users, and the same user from another address, are not affected. Failures are
# rows in the database, so every gunicorn worker counts the same ones.
SIGN_IN_COOLOFF = timedelta(minutes=15)
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = SIGN_IN_COOLOFF
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# An attacker who keeps guessing during the lockout writes nothing and does not stretch it.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_DISABLE_ACCESS_LOG = True  # no row per successful sign-in
AXES_LOCKOUT_CALLABLE = "annotator.lockout.lockout_response"
# Behind a load balancer REMOTE_ADDR is the balancer's, the same for every client: one guesser would lock a username
# out for everybody. SLANT_PROXY_COUNT (default 0) is the number of proxies of one's own in front of the web
# processes, each appending to X-Forwarded-For; failures then count against the address the outermost one saw
# (annotator.lockout.client_address). Set it only when every request comes through them.
SLANT_PROXY_COUNT = int(os.environ.get("SLANT_PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "annotator.lockout.client_address"
AXES_COOLOFF_MESSAGE = (
    "Too many failed sign-ins for this username from your address. "
    f"Try again in {SIGN_IN_COOLOFF.seconds // 60} minutes."
)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = DATA_DIR / "staticfiles"
STATIC_ROOT.mkdir(exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/accounts/login/"

# Bulk document imports through the JSON API can be large.
DATA_UPLOAD_MAX_MEMORY_SIZE = 50 * 1024 * 1024
# The largest file POST /projects/{p}/imports/ takes (a larger one is answered 413), in megabytes.
SLANT_IMPORT_MAX_BYTES = int(float(os.environ.get("SLANT_IMPORT_MAX_MB", "50")) * 1024 * 1024)
# An import of documents whose file is larger than this (in megabytes) runs in a job (POST …/imports/ answers 202 with
# it); a smaller one is stored within the request, as before (201 with the counts).
SLANT_IMPORT_JOB_BYTES = int(float(os.environ.get("SLANT_IMPORT_JOB_MB", "5")) * 1024 * 1024)
# The largest JSON body the API reads (a larger one is answered 413 before it is parsed), in megabytes.
SLANT_JSON_MAX_BYTES = int(float(os.environ.get("SLANT_JSON_MAX_MB", "10")) * 1024 * 1024)
# The longest document text, in code points (longer → 400), through the API and every import format.
SLANT_TEXT_MAX_CODE_POINTS = int(os.environ.get("SLANT_TEXT_MAX_CODE_POINTS", "1000000"))
# The most items one POST of a list may hold (more → 400): a request holds the write lock for a bounded time.
SLANT_LIST_MAX_ITEMS = 1000
# The hosts remote recommenders (`http`, `labelstudio-ml`) may call: "host" (any port) or "host:port", comma-separated,
# compared literally (a name that resolves to a listed address is still unlisted). Empty: no remote recommender.
SLANT_RECOMMENDER_HOSTS = [
    h.strip().lower() for h in os.environ.get("SLANT_RECOMMENDER_HOSTS", "").split(",") if h.strip()
]

# Background jobs (recommender runs) go through django-tasks with its database backend: the queue is a table of the
# same database, so SQLite needs no extra server and, on PostgreSQL, any number of `manage.py db_worker` processes on
# any number of machines share it. No immediate backend anywhere: a job never runs inside a web request.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# A running job holds a lease that its worker renews after every document (and before every call to a remote
# recommender, for that call's timeout); a job whose lease has run out is shown as failed: its worker stopped.
SLANT_JOB_LEASE_SECONDS = float(os.environ.get("SLANT_JOB_LEASE_SECONDS", "60"))

X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SAMESITE = "Lax"
if _env_flag("SLANT_HTTPS"):
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "annotator.api.auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["annotator.api.renderers.JSONRenderer"],
    # JSON only, as the schema says (a form's values are all strings); imports take their file as multipart.
    "DEFAULT_PARSER_CLASSES": ["annotator.api.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "annotator.api.pagination.PageNumberPagination",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "annotator.api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "annotator.api.errors.exception_handler",
    "PAGE_SIZE": 100,
    # ?format= belongs to the export endpoint, not to renderer negotiation.
    "URL_FORMAT_OVERRIDE": None,
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Slant API",
    "DESCRIPTION": "Span annotation of news articles with framing labels. Offsets are Unicode code points, half-open.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # <id:…> path segments (annotator.converters) are integers, as SPEC's ids are.
    "PATH_CONVERTER_OVERRIDES": {"id": {"type": "integer", "minimum": 1, "maximum": 10**18 - 1}},
    "ENUM_NAME_OVERRIDES": {
        "RoleEnum": "annotator.models.Role",
        "AssignmentStatusEnum": "annotator.models.AssignmentStatus",
        "ReviewStatusEnum": "annotator.models.ReviewStatus",
        "QuestionKindEnum": "annotator.choices.QuestionKind",
        "RecommenderKindEnum": "annotator.choices.RecommenderKind",
        "JobKindEnum": "annotator.choices.JobKind",
        "JobStatusEnum": "annotator.choices.JobStatus",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
