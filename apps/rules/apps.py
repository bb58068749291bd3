from django.apps import AppConfig


class RulesConfig(AppConfig):
    name = "apps.rules"
    default_auto_field = "django.db.models.BigAutoField"
