"""Django settings for Pasokh, derived from :mod:`pasokh.config.environment` only."""

from __future__ import annotations

from pathlib import Path

from django.utils.translation import gettext_lazy as _

from pasokh.config import backends, environment

ENV = environment.load()
PACKAGE_DIR = Path(__file__).resolve().parents[1]

DEBUG = ENV.debug
SECRET_KEY = ENV.secret_key
ALLOWED_HOSTS = list(ENV.allowed_hosts)
CSRF_TRUSTED_ORIGINS = [ENV.public_url]
PASOKH_PUBLIC_URL = ENV.public_url
PASOKH_DATA_DIR = ENV.data_dir
PASOKH_VOICE_LISTEN = ENV.voice_listen
PASOKH_VOICE_RTPENGINE = ENV.voice_rtpengine
PASOKH_VOICE_DTMF_LISTEN = ENV.voice_dtmf_listen
PASOKH_VOICE_RECORDINGS = ENV.voice_recordings
PASOKH_VOICE_WEBSOCKET = ENV.voice_websocket
PASOKH_VOICE_TLS_CERT = ENV.voice_tls_cert
PASOKH_VOICE_TLS_KEY = ENV.voice_tls_key
PASOKH_SOFTPHONE_URL = ENV.softphone_url

INSTALLED_APPS = [
    "pasokh.web",  # first, so its templates (admin RTL fixes) take precedence
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "channels",
    "axes",
    "ninja",
    "pasokh.tenancy",
    "pasokh.audit",
    "pasokh.router",
    "pasokh.contacts",
    "pasokh.search",
    "pasokh.interactions",
    "pasokh.webchat",
    "pasokh.voice",
    "pasokh.desk",
    "pasokh.tickets",
    "pasokh.orders",
    "pasokh.knowledge",
    "pasokh.planning",
    "pasokh.demo",
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
    "pasokh.web.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "pasokh.config.urls"
ASGI_APPLICATION = "pasokh.config.asgi.application"
AUTH_USER_MODEL = "tenancy.User"
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:login"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "pasokh.web.context.shell",
            ],
        },
    },
]

DATABASES = backends.databases(ENV)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
CHANNEL_LAYERS = backends.channel_layers(ENV)
CACHES = backends.caches(ENV)

# Authentication: argon2 first, login throttling by django-axes.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25  # hours: a locked sign-in opens again after 15 minutes
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "web/locked_out.html"
AXES_VERBOSE = False

# Cookies and transport: Secure cookies and HSTS whenever Pasokh is served over HTTPS.
SESSION_COOKIE_SECURE = ENV.https
CSRF_COOKIE_SECURE = ENV.https
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 12 * 60 * 60  # one long shift
LANGUAGE_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_HSTS_SECONDS = 31536000 if ENV.https else 0
X_FRAME_OPTIONS = "DENY"
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'"],
        # CSP3: 'self' covers same-host ws:/wss:; the softphone's SIP WebSocket may be elsewhere
        "connect-src": ["'self'", *([ENV.softphone_url] if ENV.softphone_url else [])],
        "media-src": ["'self'", "blob:"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
}

# Languages: Persian first, English beside it.
LANGUAGE_CODE = "fa"
LANGUAGES = [("fa", _("Persian")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "config" / "locale"]  # apps keep their own locale/
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Asia/Tehran"
LANGUAGE_COOKIE_NAME = "pasokh_language"

STATIC_URL = "/static/"
STATIC_ROOT = ENV.data_dir / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise serves finders on top of it
STATICFILES_DIRS = [
    ("vendor/vazirmatn", ENV.node_modules / "vazirmatn"),
    ("vendor/htmx", ENV.node_modules / "htmx.org" / "dist"),
    ("vendor/chartjs", ENV.node_modules / "chart.js" / "dist"),
    ("vendor/sipjs", ENV.node_modules / "sip.js" / "lib"),
]
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_ROOT = ENV.data_dir / "media"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": ENV.log_level},
    "loggers": {"axes": {"level": "WARNING"}},
}
