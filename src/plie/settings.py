"""Settings of the PLIE information system, read from environment variables only.

One module for every environment: development, tests and production differ by
their variables (DATABASE_URL, SECRET_KEY, DEBUG, ALLOWED_HOSTS...), never by
separate settings files. Production (DEBUG off) refuses to start without a real
secret key, and refuses a weak one (plie.core.secret_key).
"""

import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from plie.core.files import make_private_folder
from plie.core.secret_key import weakness

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent
DATA_DIR = Path(os.environ.get("PLIE_DATA_DIR", PROJECT_DIR / "data"))
# The data folder holds the SQLite database, the extractions (people by name) and the secret
# key: the owner's only (0700), whoever else may log in on the machine.
make_private_folder(DATA_DIR)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on", "oui"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG")

_DEVELOPMENT_SECRET = "plie-development-only-secret-do-not-use-in-production"
# An installation on the embedded SQLite database (no DATABASE_URL) keeps its own random
# key in its data folder, so that `plie demo`, `plie exits`, `plie import`... work on a
# fresh machine; with a database server, the key must come from the environment.
EMBEDDED_DATABASE = not os.environ.get("DATABASE_URL")


def _local_secret_key() -> str:
    path = DATA_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


SECRET_KEY = os.environ.get("SECRET_KEY") or ""
if SECRET_KEY and not DEBUG and (reason := weakness(SECRET_KEY, _DEVELOPMENT_SECRET)):
    raise ImproperlyConfigured(
        f"SECRET_KEY est trop faible ({reason}) : en production (DEBUG désactivé), donnez une "
        "clé longue et aléatoire, par exemple celle qu'affiche "
        '`python3 -c "import secrets; print(secrets.token_urlsafe(50))"`.'
    )
if not SECRET_KEY:
    if DEBUG:
        SECRET_KEY = _DEVELOPMENT_SECRET
    elif EMBEDDED_DATABASE:
        SECRET_KEY = _local_secret_key()
    else:
        raise ImproperlyConfigured(
            "SECRET_KEY n'est pas défini : en production (DEBUG désactivé), donnez une clé "
            "secrète longue et aléatoire dans la variable d'environnement SECRET_KEY, "
            "ou lancez le mode démonstration avec DEBUG=1."
        )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1")
if DEBUG:
    ALLOWED_HOSTS += ["testserver", "[::1]"]
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "template_partials",
    "django_bootstrap5",
    "bootstrap",
    "rules.apps.AutodiscoverRulesConfig",
    "auditlog",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_tasks",
    "django_tasks_db",
    "plie.core",
    "plie.territory",
    "plie.accounts",
    "plie.programme",
    "plie.agreements",
    "plie.participants",
    "plie.pathways",
    "plie.committee",
    "plie.purchasing",
    "plie.actions",
    "plie.evaluation",
    "plie.audit",
    "plie.exchange",
    "plie.reporting",
    "plie.demo",
    "plie.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # After WhiteNoise, which answers for the static files itself: every other response.
    "plie.core.middleware.NotStoredMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "plie.accounts.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # After the session, the user and htmx: its 400 page keeps the menu, or is a fragment.
    "plie.core.middleware.QueryGuardMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    # Journals who saw which participants, once the view has said (audit/reads.py).
    "plie.audit.reads.JournalMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "plie.urls"
WSGI_APPLICATION = "plie.wsgi.application"

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
                "plie.web.navigation.navigation",
            ],
        },
    },
]

DATABASE_URL = os.environ.get("DATABASE_URL")
if not DATABASE_URL:
    # Embedded default: a SQLite file in the local data folder, created on first use; its
    # files are the owner's only too (plie.core.files, when a connection opens).
    DATABASE_URL = f"sqlite:///{DATA_DIR / 'plie.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # PostgreSQL compiles the plan of any query it deems costly: our heaviest take a tenth
    # of a second, and compiling cost them up to 30 ms more (bench/, docs/performance.md).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # django-rules, refusing to answer about a permission nobody declared (core.permissions)
    "plie.core.permissions.DeclaredPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# CNIL recommendation (délibération 2022-100): 12 characters of four kinds; and none of the
# passwords most used in France, whatever digits and symbols surround it.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "plie.accounts.passwords.FourCharacterKindsValidator"},
    {"NAME": "plie.accounts.passwords.FrenchCommonPasswordValidator"},
]
LOGIN_URL = "accounts:login"
# Second factor (django-otp: a TOTP application, and backup codes) for every account, asked
# after the password whenever DEBUG is off (plie.accounts.second_factor); asked again before
# a download of named data or a change of rights when the last code is older than this.
PLIE_SECOND_FACTOR = env_bool("PLIE_SECOND_FACTOR", not DEBUG)
PLIE_REAUTHENTICATION_MINUTES = int(os.environ.get("PLIE_REAUTHENTICATION_MINUTES", 5))
OTP_TOTP_ISSUER = "PLIE"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Sessions end after 30 minutes without activity and when the browser closes.
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", 30 * 60))
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", 0))
# Only sent with SECURE_HSTS_SECONDS: the application has a host name of its own.
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_HTTPS_PROXY") else None
)
X_FRAME_OPTIONS = "DENY"
# No page needs the browser's devices or sensors: none of them may be asked for.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "fullscreen",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "screen-wake-lock",
        "usb",
        "xr-spatial-tracking",
    )
}

# Login throttling (plie.accounts.lockout): an account is locked for 15 minutes after 5
# failures, whatever the addresses they came from, and an address after 20 failures, whatever
# the accounts tried — 5 wrong passwords each for 4 colleagues behind one office's address.
AXES_HANDLER = "plie.accounts.lockout.AccountAndAddressHandler"
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", 5))
PLIE_ADDRESS_FAILURE_LIMIT = int(os.environ.get("PLIE_ADDRESS_FAILURE_LIMIT", 20))
AXES_COOLOFF_TIME = 0.25
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
# Behind the HTTPS proxy every request comes from the proxy: the client is the address the
# proxy adds last to X-Forwarded-For.
AXES_CLIENT_IP_CALLABLE = "plie.accounts.lockout.client_address"
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "style-src": ["'self'"],
        "script-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Production serves collected, hashed files; development and tests serve them from the apps.
STATIC_MANIFEST = env_bool("STATIC_MANIFEST", not DEBUG)
# Uploaded documents (call documents, proposals, deliverables, budget evidence) are kept
# outside the static files and served only through permission-checked views
# (plie.core.uploads): in a private folder of the data directory by default, or in an
# S3-compatible store when PLIE_UPLOADS_S3_BUCKET is set (django-storages, Apache Libcloud's
# S3 driver: any host that speaks S3, such as a French provider's object storage).
UPLOADS_DIR = DATA_DIR / "uploads"
UPLOADS_S3_BUCKET = os.environ.get("PLIE_UPLOADS_S3_BUCKET", "")
if UPLOADS_S3_BUCKET:
    LIBCLOUD_PROVIDERS = {
        "uploads": {
            "type": "libcloud.storage.types.Provider.S3",
            "user": os.environ.get("PLIE_UPLOADS_S3_KEY", ""),
            "key": os.environ.get("PLIE_UPLOADS_S3_SECRET", ""),
            "bucket": UPLOADS_S3_BUCKET,
            "host": os.environ.get("PLIE_UPLOADS_S3_HOST", "") or None,
            "region": os.environ.get("PLIE_UPLOADS_S3_REGION", "") or None,
            "secure": True,
        }
    }
    UPLOADS_STORAGE = {
        "BACKEND": "storages.backends.apache_libcloud.LibCloudStorage",
        "OPTIONS": {"provider_name": "uploads"},
    }
else:
    UPLOADS_STORAGE = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {
            "location": UPLOADS_DIR,
            "base_url": None,
            "file_permissions_mode": 0o600,
            "directory_permissions_mode": 0o700,
        },
    }
# The largest document accepted, in megabytes.
UPLOAD_MAX_MEGABYTES = int(os.environ.get("PLIE_UPLOAD_MAX_MEGABYTES", "20"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "uploads": UPLOADS_STORAGE,
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if STATIC_MANIFEST
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not STATIC_MANIFEST
if not STATIC_MANIFEST:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_ROOT = DATA_DIR / "media"

# E-mail: notices (a deposit receipt, a consultation of the steering committee, an award, a
# deliverable received) go through Django's backend. The console by default (the demo prints
# them); SMTP when EMAIL_HOST is set.
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
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "plie@localhost")
# The address the e-mails' links start with (the demo serves on this one).
PLIE_SITE_URL = os.environ.get("PLIE_SITE_URL", "http://127.0.0.1:8000")

# Long work (the monthly extraction) runs in the background: the database backend needs no
# broker, and `plie demo` / `plie serve` start its worker (`plie db_worker`) beside the server.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# Charts and dashboard figures (aggregates only, never a record): on disk in the data
# folder, so that the server's processes and the background worker share them.
# PLIE_CACHE=memory keeps them in each process instead (the tests, the bench).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(DATA_DIR / "cache"),
        "TIMEOUT": 24 * 3600,
        "OPTIONS": {"MAX_ENTRIES": 2000},
    }
}
if os.environ.get("PLIE_CACHE") == "memory":
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUDITLOG_INCLUDE_ALL_MODELS = False
AUDITLOG_DISABLE_REMOTE_ADDR = True
# The journal's entries are removed after this many days by the background worker
# (audit/retention.py): CNIL, recommendation on logging — six months to one year.
JOURNAL_RETENTION_DAYS = int(os.environ.get("JOURNAL_RETENTION_DAYS", 365))
if not 180 <= JOURNAL_RETENTION_DAYS <= 366:
    raise ImproperlyConfigured(
        "JOURNAL_RETENTION_DAYS doit être compris entre 180 et 366 jours (six mois à un an, "
        "recommandation de la CNIL sur la journalisation) : corrigez la variable."
    )

# Application logs never carry personal data: only technical events, by id.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "filters": {"refusals": {"()": "plie.core.logging.RefusalsWithoutTraceback"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["refusals"],
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    "loggers": {"axes": {"level": "WARNING"}},
}

# No green tick on every valid field after a refused form: only the errors stand out.
BOOTSTRAP5 = {
    "set_placeholder": False,
    "required_css_class": "required",
    "success_css_class": "",
    # A refused form marks its fields in error only: no green tick on the others.
    "field_renderers": {"default": "plie.core.bootstrap.FieldRenderer"},
}
