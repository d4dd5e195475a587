"""Settings for the scrutiny portal, read from environment variables.

The defaults give a working development install (SQLite under ``var/``, DEBUG on); production
sets ``DEBUG=false`` and must then provide ``SECRET_KEY``.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("SCRUTINY_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "insecure-development-key-do-not-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",  # the widgets' own templates, for FORM_RENDERER below
    "crispy_forms",
    "crispy_bootstrap5",
    "csp",
    "axes",
    "simple_history",
    "performance",
    "meetings",
    "publication",
    "health",
    "jobs",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "meetings.middleware.NoStoreForSignedInMiddleware",
    "meetings.middleware.SignedInMarkerMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes requires: locks out repeated failed sign-ins.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "scrutiny.urls"

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
                "scrutiny.context_processors.organisation",
                "scrutiny.context_processors.work",
            ],
            "libraries": {"forms_once": "scrutiny.forms_once"},
        },
    },
]

# Widgets render through TEMPLATES, so the portal's own widget templates (templates/widgets/,
# e.g. the day / month / year date boxes of scrutiny/dates.py) are found.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

WSGI_APPLICATION = "scrutiny.wsgi.application"

if not os.environ.get("DATABASE_URL"):
    VAR_DIR.mkdir(parents=True, exist_ok=True)  # the embedded default database lives here
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'scrutiny.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            # One writer at a time, claimed when a transaction begins rather than at its first
            # write: no "database is locked" half-way through, and read-then-write steps
            # (version checks) cannot interleave.
            "transaction_mode": "IMMEDIATE",
            # A writer waits this long (seconds) for another's transaction before giving up
            # with "database is locked"; imports write in one short transaction, well inside it.
            "timeout": float(os.environ.get("SQLITE_BUSY_TIMEOUT", "30")),
            # Write-ahead log: readers never wait for the writer, nor the writer for readers.
            # NORMAL is safe with WAL (a power cut may lose the last commits, never corrupt).
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
        }
    )
    # The test database is a file (Django's default is in memory), so that tests can show
    # two connections at once behaving as they do in production.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-scrutiny.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    # First, so that a locked-out user is refused before their password is even checked.
    "axes.backends.AxesStandaloneBackend",
    # ModelBackend with each user's permissions read in one query and cached (meetings/roles.py).
    "meetings.roles.CachedPermissionsBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "1"))  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_IPWARE_PROXY_COUNT = int(os.environ.get("AXES_PROXY_COUNT", "0"))

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "meetings:my-work"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-gb"
LANGUAGES = [("en-gb", "English")]
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # Bootstrap's css/ and js/ from the bootstrap-wrapper wheel, served as static/bootstrap/.
    ("bootstrap", Path(__import__("bootstrap").__path__[0])),
]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# --- Several servers: the shared cache ---------------------------------------------------------
# With REDIS_URL the cache is Redis (Django's own backend), shared by every app server: cached
# note fragments and charts, and the rates of the public PDF check. Without it, each process
# keeps its own in memory (enough for `make run`). Every key carries the prefix and the version:
# raising CACHE_KEY_VERSION with a deploy makes every key written before it unreadable.
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHE_KEY_PREFIX = os.environ.get("CACHE_KEY_PREFIX", "scrutiny")
CACHE_KEY_VERSION = int(os.environ.get("CACHE_KEY_VERSION", "1"))
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache"
        if REDIS_URL
        else "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": CACHE_KEY_PREFIX,
        "VERSION": CACHE_KEY_VERSION,
    }
}
if REDIS_URL:
    # A Redis that does not answer within a second is an error, not a hung request.
    CACHES["default"]["OPTIONS"] = {"socket_connect_timeout": 1, "socket_timeout": 1}

# --- Several servers: background jobs (Celery) ------------------------------------------------
# Signing a note (render, sign, store the PDF), checking and applying an uploaded import, and
# computing the peer groups run as jobs. With a broker (CELERY_BROKER_URL,
# else REDIS_URL) jobs go to the workers of `make worker`; without one they run in the web
# process as they are queued, so that `make run` needs nothing more.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "") or REDIS_URL
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
# A job is acknowledged once done, not once taken: a worker killed mid-job leaves its job on the
# queue, handed to another worker once CELERY_VISIBILITY_TIMEOUT seconds have passed (longer
# than any job takes; a job run twice does its work once).
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": int(os.environ.get("CELERY_VISIBILITY_TIMEOUT", "300"))
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# The Job rows hold each job's state and outcome: no result backend.
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = "Europe/London"
# The sweeper (`manage.py sweep_jobs`, run by each worker as it starts, and by cron) sends
# again a job left queued or running with no sign of life for this long: its message lost by
# the broker, or its worker killed. Longer than any step of a job takes.
JOBS_SWEEP_AFTER_SECONDS = int(os.environ.get("JOBS_SWEEP_AFTER_SECONDS", "600"))

# /healthz (health/checks.py): a process answers from its last run of the checks for this many
# seconds, so that a flood of requests costs one run.
HEALTHZ_MIN_INTERVAL = float(os.environ.get("HEALTHZ_MIN_INTERVAL", "1"))
# --- Several servers: stored files in object storage -----------------------------------------
# With STORAGE_S3_BUCKET, the signed PDFs and the uploads waiting for their import go to that
# S3-compatible bucket (django-storages), where every app server and worker finds them;
# without it, under MEDIA_ROOT. The keys come from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY
# (or the machine's role), read by boto3 itself: never kept in the settings.
STORAGE_S3_BUCKET = os.environ.get("STORAGE_S3_BUCKET", "")
if STORAGE_S3_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": STORAGE_S3_BUCKET,
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
            "location": os.environ.get("STORAGE_S3_PREFIX", ""),
            # Private objects (the bucket's own policy); files are served through the portal.
            "default_acl": None,
            "querystring_auth": True,
            # As on a disk: a name already taken gets a new one, nothing is overwritten.
            "file_overwrite": False,
        },
    }

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# The organisation that publishes the notes: shown in page headers and on the PDF note.
# The defaults are the heading of the reference note of 23 December 2013.
ORGANISATION_NAME = os.environ.get("ORGANISATION_NAME", "Lancashire Constabulary")
ORGANISATION_STRAPLINE = os.environ.get("ORGANISATION_STRAPLINE", "police and communities together")
# A path under static/ (served by the portal) or empty for no logo.
ORGANISATION_LOGO = os.environ.get("ORGANISATION_LOGO", "img/logo.svg")
# The force the OPCC holds to account, by ONS police force area code.
HOME_FORCE_CODE = os.environ.get("HOME_FORCE_CODE", "E23000003")

# Performance comparisons. The red rule is stored with every comparison a meeting freezes.
# Red: the force is among the worst PERFORMANCE_RED_THRESHOLD of forces nationally, "higher"
# (a higher rate is worse) or "lower"; the excluded forces (ONS codes) are not ranked. City of
# London (E23000034) is excluded by default: its rate per resident is not comparable.
PERFORMANCE_RED_THRESHOLD = float(os.environ.get("PERFORMANCE_RED_THRESHOLD", "0.10"))
PERFORMANCE_RED_DIRECTION = os.environ.get("PERFORMANCE_RED_DIRECTION", "higher")
PERFORMANCE_RED_EXCLUDED_FORCES = env_list("PERFORMANCE_RED_EXCLUDED_FORCES", ["E23000034"])
if not 0 < PERFORMANCE_RED_THRESHOLD < 1 or PERFORMANCE_RED_DIRECTION not in {"higher", "lower"}:
    raise ImproperlyConfigured(
        "PERFORMANCE_RED_THRESHOLD must be between 0 and 1 and PERFORMANCE_RED_DIRECTION "
        "'higher' or 'lower'."
    )
# Whether a group's rate adds the force itself to its most similar forces.
PERFORMANCE_GROUP_INCLUDES_FORCE = env_bool("PERFORMANCE_GROUP_INCLUDES_FORCE", False)
# Computed peer groups: how many nearest forces, and which forces are never proposed.
PERFORMANCE_PEER_GROUP_SIZE = int(os.environ.get("PERFORMANCE_PEER_GROUP_SIZE", "7"))
PERFORMANCE_PEER_EXCLUDED_FORCES = env_list("PERFORMANCE_PEER_EXCLUDED_FORCES", ["E23000034"])
# Largest data file staff may upload (bytes).
PERFORMANCE_UPLOAD_MAX_BYTES = int(
    os.environ.get("PERFORMANCE_UPLOAD_MAX_BYTES", str(20 * 1024 * 1024))
)
# Limits on reading a file given to an import (performance data, and the archive of
# import_archive): compressed files are expanded as they are read, and a file over a limit is
# refused with a message naming it. Bytes a file may expand to (a zip's entries together), how
# many times its compressed size, entries in a zip, characters in one line of text.
IMPORT_MAX_EXPANDED_BYTES = int(os.environ.get("IMPORT_MAX_EXPANDED_BYTES", str(4 * 2**30)))
IMPORT_MAX_COMPRESSION_RATIO = float(os.environ.get("IMPORT_MAX_COMPRESSION_RATIO", "100"))
IMPORT_MAX_ZIP_ENTRIES = int(os.environ.get("IMPORT_MAX_ZIP_ENTRIES", "10000"))
IMPORT_MAX_LINE_LENGTH = int(os.environ.get("IMPORT_MAX_LINE_LENGTH", "10000"))
# Distinct figures (or rows checked for repeats) one import may hold in memory while it reads:
# a year of police.uk files for every force makes 7,224, the national quarterly file 48,203.
IMPORT_MAX_FIGURES = int(os.environ.get("IMPORT_MAX_FIGURES", "500000"))

# The public calendar (/meetings.ics) lists meetings whose note is published; with this on, also
# the meetings to come, with their date, time, title and place (the Specified Information Order
# 2011 requires the date, time and place of meetings to be published).
PUBLIC_CALENDAR_SHOWS_SCHEDULED = env_bool("PUBLIC_CALENDAR_SHOWS_SCHEDULED", True)

# The public page that checks a PDF (/verify/; publication/verification.py): anyone may use it.
# Files up to the largest published note plus the margin, between the floor and the ceiling.
VERIFY_UPLOAD_FLOOR_BYTES = int(os.environ.get("VERIFY_UPLOAD_FLOOR_BYTES", str(2 * 1024 * 1024)))
VERIFY_UPLOAD_CEILING_BYTES = int(
    os.environ.get("VERIFY_UPLOAD_CEILING_BYTES", str(20 * 1024 * 1024))
)
VERIFY_UPLOAD_MARGIN_BYTES = int(os.environ.get("VERIFY_UPLOAD_MARGIN_BYTES", str(1024 * 1024)))
# Checks per client address (in Django's cache: per process unless CACHES is shared).
VERIFY_RATE_PER_MINUTE = int(os.environ.get("VERIFY_RATE_PER_MINUTE", "10"))
VERIFY_RATE_PER_HOUR = int(os.environ.get("VERIFY_RATE_PER_HOUR", "60"))
# Checks running at once in one process; more are refused (503), not queued.
VERIFY_MAX_CONCURRENT = int(os.environ.get("VERIFY_MAX_CONCURRENT", "2"))
# What pyHanko is given: at most this many revisions (the note and its signature) and
# signatures, and this much decoded (decompressed) data in all.
VERIFY_MAX_REVISIONS = int(os.environ.get("VERIFY_MAX_REVISIONS", "3"))
VERIFY_MAX_SIGNATURES = int(os.environ.get("VERIFY_MAX_SIGNATURES", "1"))
# Seconds a signature check may take (it runs in a child process, stopped then).
VERIFY_TIME_LIMIT_SECONDS = float(os.environ.get("VERIFY_TIME_LIMIT_SECONDS", "5"))
VERIFY_MAX_DECODED_BYTES = int(os.environ.get("VERIFY_MAX_DECODED_BYTES", str(64 * 1024 * 1024)))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# --- PDF notes and digital signatures (meetings/pdf.py, meetings/signing.py) -------------------
# WeasyPrint reports unreachable images and stylesheets as errors and bad CSS as warnings on the
# "weasyprint" logger (which propagates to the root handler); fontTools, which it may use to
# subset fonts, chatters at INFO.
LOGGING.setdefault("loggers", {}).update(
    {
        "weasyprint": {"level": "WARNING"},
        "weasyprint.progress": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # pyHanko logs a traceback for every untrusted signature it checks: the verification
        # page reports the outcome, and anyone can upload, so keep only its errors.
        "pyhanko": {"level": "ERROR"},
        "pyhanko_certvalidator": {"level": "ERROR"},
    }
)
# The organisation's signing certificate and key, as a PKCS#12 (.p12/.pfx) file, and a file
# holding its passphrase. Leave unset to sign off notes with their SHA-256 alone.
SIGNING_P12 = os.environ.get("SCRUTINY_SIGNING_P12", "")
SIGNING_PASSPHRASE_FILE = os.environ.get("SCRUTINY_SIGNING_PASSPHRASE_FILE", "")
# PEM files of the certificates a signature must chain to for the portal to call it trusted.
SIGNING_TRUST_ROOTS = env_list("SCRUTINY_SIGNING_TRUST_ROOTS", [])
# The signature's reason ({name} and {title} become the signatory's) and location (the
# organisation's name when empty).
SIGNING_REASON = os.environ.get("SCRUTINY_SIGNING_REASON", "Signed by {name}, {title}")
SIGNING_LOCATION = os.environ.get("SCRUTINY_SIGNING_LOCATION", "")
# Email: printed to the console in development, sent by SMTP when EMAIL_HOST is set. Each email
# links to the page it is about under PORTAL_BASE_URL (the portal's address as people reach it).
PORTAL_BASE_URL = os.environ.get("PORTAL_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "10"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "scrutiny-portal@localhost")

# The public site's contact, privacy and accessibility pages. The accessibility statement is the
# legal form of the Public Sector Bodies (Websites and Mobile Applications) (No. 2) Accessibility
# Regulations 2018: ACCESSIBILITY_COMPLIANCE is "full", "partial" or "not"; the dates are when
# the statement was prepared and last reviewed (YYYY-MM-DD).
CONTACT_EMAIL = os.environ.get("CONTACT_EMAIL", "commissioner@example.org")
CONTACT_PHONE = os.environ.get("CONTACT_PHONE", "")
CONTACT_ADDRESS = os.environ.get("CONTACT_ADDRESS", "")
PRIVACY_CONTROLLER = os.environ.get("PRIVACY_CONTROLLER", ORGANISATION_NAME)
PRIVACY_CONTACT_EMAIL = os.environ.get("PRIVACY_CONTACT_EMAIL", CONTACT_EMAIL)
PRIVACY_RETENTION = os.environ.get(
    "PRIVACY_RETENTION",
    "Published notes are kept as a permanent public record; accounts are removed when their "
    "holder leaves.",
)
ACCESSIBILITY_COMPLIANCE = os.environ.get("ACCESSIBILITY_COMPLIANCE", "partial")
ACCESSIBILITY_PREPARED = os.environ.get("ACCESSIBILITY_PREPARED", "2026-12-01")
ACCESSIBILITY_REVIEWED = os.environ.get("ACCESSIBILITY_REVIEWED", ACCESSIBILITY_PREPARED)
if ACCESSIBILITY_COMPLIANCE not in {"full", "partial", "not"}:
    raise ImproperlyConfigured("ACCESSIBILITY_COMPLIANCE must be 'full', 'partial' or 'not'.")

# The work in front of each role: actions due within ACTION_REMINDER_DAYS count as due soon
# (and are reminded of); a signed note is due on the public site PUBLICATION_DEADLINE_DAYS
# after its meeting.
ACTION_REMINDER_DAYS = int(os.environ.get("ACTION_REMINDER_DAYS", "7"))
PUBLICATION_DEADLINE_DAYS = int(os.environ.get("PUBLICATION_DEADLINE_DAYS", "28"))

# Separation of duties: whoever submitted or edited a note may not sign it.
SIGN_OFF_SEPARATE_SIGNATORY = env_bool("SIGN_OFF_SEPARATE_SIGNATORY", True)

# Content Security Policy: the portal's own scripts and styles only; no inline code anywhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    # A load balancer asks each server directly, over plain HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
X_FRAME_OPTIONS = "DENY"
# Sessions are kept in the database and read through the cache: a signed-in page reads its
# session without a query. Not signed cookies: the session holds text typed before a sign-out
# (kept for the next sign-in), far more than a cookie can carry, and a cookie cannot be revoked
# at sign-out. With several processes, configure a shared cache (CACHES) so a sign-out is seen
# by all of them.
SESSION_ENGINE = os.environ.get("SESSION_ENGINE", "django.contrib.sessions.backends.cached_db")
# The stored PDF of a signed note, handed to the front server instead of read by the portal:
# empty (the portal sends the file), "X-Accel-Redirect" (nginx: the header names
# PDF_SENDFILE_PREFIX + the file's name under MEDIA_ROOT, an internal location) or
# "X-Sendfile" (Apache mod_xsendfile, lighttpd: the file's path on disk).
PDF_SENDFILE_HEADER = os.environ.get("PDF_SENDFILE_HEADER", "")
PDF_SENDFILE_PREFIX = os.environ.get("PDF_SENDFILE_PREFIX", "/protected-media/")
if PDF_SENDFILE_HEADER not in {"", "X-Accel-Redirect", "X-Sendfile"}:
    raise ImproperlyConfigured("PDF_SENDFILE_HEADER must be empty, X-Accel-Redirect or X-Sendfile.")
# Part of every cache key the portal builds (scrutiny/cache.py): change it to make a new
# release ignore what an older one cached in a shared cache.
CACHE_KEY_VERSION = os.environ.get("CACHE_KEY_VERSION", "1")
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(8 * 60 * 60)))
SESSION_EXPIRE_AT_BROWSER_CLOSE = env_bool("SESSION_EXPIRE_AT_BROWSER_CLOSE", True)
# Uploads above this are refused before they reach a view (imports and verification have
# their own, smaller limits).
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
