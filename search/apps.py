from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = _("Search")

    def ready(self):
        from django.db.models.signals import post_migrate

        from . import signals
        from .index import rebuild_if_outdated

        signals.connect()
        post_migrate.connect(rebuild_if_outdated, sender=self, dispatch_uid="search.rebuild_if_outdated")
