from django.urls import path

from modelstatus.views import ModelStatusView

urlpatterns = [
    path("model-status", ModelStatusView.as_view(), name="model-status"),
]
