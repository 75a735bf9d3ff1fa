from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HomeConfig(AppConfig):
    name = "home"
    verbose_name = _("Start")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from lib.forms import install_newline_normalisation
        from lib.middleware import start_session_clock

        from . import checks  # noqa: F401  (registers the system checks)

        # Text boxes hand their forms "\n" line breaks, not the browser's CR LF (lib/forms.py).
        install_newline_normalisation()

        user_logged_in.connect(start_session_clock, dispatch_uid="start_session_clock")

        from django.db.backends.signals import connection_created
        from django.db.models.signals import post_migrate, pre_migrate

        from lib import pagecache

        # Every write to the database makes the kept staff pages stale (lib/pagecache.py).
        connection_created.connect(pagecache.watch_connection, dispatch_uid="pagecache_watch_connection")

        from django.core.signals import request_finished

        from lib import dbhealth

        # A connection that served a request a moment ago skips its health check (lib/dbhealth.py).
        request_finished.connect(dbhealth.note_request_finished, dispatch_uid="db_note_request_finished")
        # A write whose new generation waited for its statement to end (lib/pagecache.py).
        request_finished.connect(pagecache.flush_pending, dispatch_uid="pagecache_flush_pending")
        pre_migrate.connect(pagecache.pause_during_migrate, dispatch_uid="pagecache_pause")
        post_migrate.connect(pagecache.resume_after_migrate, dispatch_uid="pagecache_resume")

        from django_tasks.signals import task_finished

        from lib.logging import log_task_finished

        # One structured line per task run (LOG_FORMAT=json), wherever it runs (the worker).
        task_finished.connect(log_task_finished, dispatch_uid="log_task_finished")
        task_finished.connect(pagecache.flush_pending, dispatch_uid="pagecache_flush_pending_task")
