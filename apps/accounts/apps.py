from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "apps.accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        # The project-wide deployment checks (shared cache) register themselves on import.
        from mobility_portal import checks  # noqa: F401
        from mobility_portal.caching import release, track_writes
        from mobility_portal.collation import register_name_collation
        from mobility_portal.database import prepare_again_after_schema_changes
        from mobility_portal.search import register_fold

        track_writes()
        prepare_again_after_schema_changes()
        register_name_collation()
        register_fold()  # also registers the `fold` lookup on text fields
        # The release this process serves, read from the files before any request: read later,
        # after new files were put in place, it would name code this process is not running.
        release()
