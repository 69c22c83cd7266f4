from csp.decorators import csp_update
from django.conf import settings
from django.contrib import admin
from django.contrib.auth import urls as auth_urls
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from ttbsite.health import health

handler404 = "ttbsite.errors.not_found"
handler500 = "ttbsite.errors.server_error"

# Sign-in, sign-out, password change; the password-reset pages only where
# e-mail is configured (they would otherwise say a mail was sent that never is).
account_urls = [
    pattern
    for pattern in auth_urls.urlpatterns
    if settings.EMAIL_HOST or not pattern.name.startswith("password_reset")
]

# Swagger UI styles itself with inline styles; its scripts are files all the same.
api_docs = csp_update({"style-src": ["'unsafe-inline'"]})(
    SpectacularSwaggerSplitView.as_view(url_name="schema")
)

urlpatterns = [
    path("health", health, name="health"),
    path("admin/analytics/", include("analytics.urls")),
    path("admin/", admin.site.urls),
    path("accounts/", include(account_urls)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", api_docs, name="api-docs"),
    path("", include("verifier.urls")),
    path("", include("artifacts.urls")),
    path("", include("modelstatus.urls")),
    path("", include("web.urls")),
]
