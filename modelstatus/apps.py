from django.apps import AppConfig


class ModelStatusConfig(AppConfig):
    name = "modelstatus"
    verbose_name = "Vision model status"
