from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from ttbsite.health import health

handler404 = "ttbsite.errors.not_found"
handler500 = "ttbsite.errors.server_error"

urlpatterns = [
    path("health", health, name="health"),
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    path("", include("verifier.urls")),
    path("", include("artifacts.urls")),
    path("", include("modelstatus.urls")),
    path("", include("web.urls")),
]
