from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "apps.accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        # The project-wide deployment checks (shared cache) register themselves on import.
        from mobility_portal import checks  # noqa: F401
        from mobility_portal.caching import track_writes

        track_writes()
