"""Settings of the Contrat de Ville portal, read from the environment.

The documented production variables are listed in docs/deployment.md.
"""

import os
import sys
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG")

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        # One line, naming the variable: a traceback would hide the cause.
        sys.exit("Configuration error: SECRET_KEY is not set (required when DEBUG is off).")
    SECRET_KEY = "insecure-development-key-only-used-with-DEBUG-on"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "contrat_ville.admin_apps.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django_htmx",
    "rules.apps.AutodiscoverRulesConfig",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "contrat_ville",
    "contract",
    "neighbourhoods",
    "news",
    "partners",
    "events",
    "workgroups",
    "actions",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "contrat_ville.middleware.PrivacyHeadersMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "contrat_ville.middleware.FrenchFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "contrat_ville.middleware.RefuseControlCharactersMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "contrat_ville.middleware.OrganiserMFAMiddleware",
]

ROOT_URLCONF = "contrat_ville.urls"
WSGI_APPLICATION = "contrat_ville.wsgi.application"
ASGI_APPLICATION = "contrat_ville.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "contrat_ville.context_processors.portal",
                "partners.context_processors.directory",
            ],
        },
    },
]

# SQLite under var/ is the embedded default; DATABASE_URL=postgres://... switches.
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # WAL and a busy timeout let the dev server and a management command share the file.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "contrat_ville.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

# django-allauth: e-mail is the identifier, verified before any login.
ACCOUNT_ADAPTER = "contrat_ville.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "contrat_ville.forms.SignupForm"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_PRESERVE_USERNAME_CASING = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Contrat de Ville] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http" if DEBUG else "https"
# ACCOUNT_RATE_LIMITS keeps allauth's defaults on purpose.
MFA_ADAPTER = "contrat_ville.adapters.MFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = os.environ.get("MFA_TOTP_ISSUER", "Contrat de Ville")
# Organisers see personal data of every participant: a second factor is
# required for them in production; off with DEBUG so demo accounts log in
# with their password alone.
PORTAL_MFA_REQUIRED_FOR_ORGANISERS = env_bool("MFA_REQUIRED_FOR_ORGANISERS", not DEBUG)

# Rate limits and sessions need a cache shared by every worker in production.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache"
        if env_bool("CACHE_IN_DATABASE")
        else "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "portal_cache",
    }
}

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("Français")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
# "9 h 12" in French, "9:12 a.m." in English: {{ value|time }} and formats.time_format().
FORMAT_MODULE_PATH = ["contrat_ville.formats"]
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# E-mail: printed on the console in development so login codes can be read there.
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL")
# Short: e-mails leave after the request's commit, and a slow server must not hold it
# (contrat_ville/outbox.py, docs/security.md).
EMAIL_TIMEOUT = float(os.environ.get("EMAIL_TIMEOUT", "5"))
# After a failed send, requests leave their e-mails to `send_pending_emails` this long.
OUTBOX_PAUSE_SECONDS = int(os.environ.get("OUTBOX_PAUSE_SECONDS", "60"))
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", "Contrat de Ville <ne-pas-repondre@localhost>"
)
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)

# HTTPS hardening: on by default outside DEBUG.
HTTPS = env_bool("HTTPS", not DEBUG)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000" if HTTPS else "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", HTTPS)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", HTTPS)
if env_bool("BEHIND_PROXY"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# How many reverse proxies in front append to X-Forwarded-For: rate limits then count the
# address they received (contrat_ville/clients.py); 0 believes REMOTE_ADDR alone.
TRUSTED_PROXY_COUNT = int(
    os.environ.get("TRUSTED_PROXY_COUNT", "1" if env_bool("BEHIND_PROXY") else "0")
)
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SECURE = HTTPS
X_FRAME_OPTIONS = "DENY"
# Powerful browser features the portal never uses (contrat_ville/middleware.py).
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "browsing-topics",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "usb",
    )
)

# Content Security Policy (django-csp): scripts, styles, fonts and images come from this
# site's own files only. No 'unsafe-inline' anywhere, so templates carry no <script> body,
# style="" or on…= attribute (docs/security.md). Uploaded SVG logos get a stricter policy of
# their own where they are served.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [NONE],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        "manifest-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    },
}

# Anti-automation on public forms (contrat_ville/ratelimits.py), counted in the database so
# that every worker and server shares them: "<scope>:client" per address (IPv6: per /64),
# "<scope>:email" per e-mail address typed. Rules: "5/m", "20/h", "1/5m", comma-separated.
PORTAL_RATE_LIMITS = {
    "registration:client": os.environ.get("RATE_LIMIT_REGISTRATION_CLIENT", "5/m, 20/h"),
    "registration:email": os.environ.get("RATE_LIMIT_REGISTRATION_EMAIL", "3/h"),
    "manage_link:client": os.environ.get("RATE_LIMIT_MANAGE_LINK_CLIENT", "5/10m, 20/d"),
    "manage_link:email": os.environ.get("RATE_LIMIT_MANAGE_LINK_EMAIL", "1/5m"),
    # Each address search on "Mon quartier" asks the national address service.
    "address_search:client": os.environ.get("RATE_LIMIT_ADDRESS_SEARCH_CLIENT", "10/m, 100/h"),
}

# Who publishes the portal: shown on the legal notice and privacy pages.
PORTAL_OPERATOR = {
    "name": os.environ.get("PORTAL_OPERATOR_NAME", "Grand Chambéry"),
    "address": os.environ.get("PORTAL_OPERATOR_ADDRESS", ""),
    "publication_director": os.environ.get("PORTAL_PUBLICATION_DIRECTOR", ""),
    "contact_email": os.environ.get("PORTAL_CONTACT_EMAIL", ""),
    "dpo_email": os.environ.get("PORTAL_DPO_EMAIL", ""),
    "host": os.environ.get("PORTAL_HOST_NAME", ""),
}
# Absolute links in e-mails sent outside a request (send_pending_emails).
PORTAL_BASE_URL = os.environ.get("PORTAL_BASE_URL", "").rstrip("/") or (
    f"https://{ALLOWED_HOSTS[0]}"
    if ALLOWED_HOSTS and not DEBUG and ALLOWED_HOSTS[0] not in ("*", "")
    else "http://127.0.0.1:8000"
)
PORTAL_SITE_NAME = os.environ.get("PORTAL_SITE_NAME", "Contrat de Ville 2030 — Grand Chambéry")
# The "source" of this portal's open data (data·inclusion's producer identifier).
PORTAL_DATA_SOURCE = os.environ.get("PORTAL_DATA_SOURCE", "contrat-de-ville-grand-chambery")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

# Geography (docs/neighbourhoods.md). Address search uses the national address service
# (Base Adresse Nationale) only when its search URL is set, e.g.
# GEOCODER_URL=https://api-adresse.data.gouv.fr/search/ ; off by default, in tests and the demo.
PORTAL_GEOCODER_URL = os.environ.get("GEOCODER_URL", "")
PORTAL_GEOCODER_TIMEOUT = float(os.environ.get("GEOCODER_TIMEOUT", "3"))
# A background map layer comes from another host: off by default. When set, the host is
# allowed by the Content-Security-Policy and named in the privacy notice.
# Example (IGN Géoplateforme, Plan IGN):
# MAP_TILES_URL=https://data.geopf.fr/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=GEOGRAPHICALGRIDSYSTEMS.PLANIGNV2&STYLE=normal&FORMAT=image/png&TILEMATRIXSET=PM&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}
# MAP_TILES_ATTRIBUTION="IGN Géoplateforme"
PORTAL_MAP_TILES_URL = os.environ.get("MAP_TILES_URL", "")
PORTAL_MAP_TILES_ATTRIBUTION = os.environ.get("MAP_TILES_ATTRIBUTION", "")
if PORTAL_MAP_TILES_URL:
    from urllib.parse import urlsplit

    _tiles = urlsplit(PORTAL_MAP_TILES_URL)
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"].append(f"{_tiles.scheme}://{_tiles.netloc}")
