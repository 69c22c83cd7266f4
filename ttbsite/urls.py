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

urlpatterns = [
    path("health", health, name="health"),
    path("admin/", admin.site.urls),
    path("accounts/", include(account_urls)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
    path("", include("verifier.urls")),
    path("", include("artifacts.urls")),
    path("", include("modelstatus.urls")),
    path("", include("web.urls")),
]
