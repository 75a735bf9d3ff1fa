"""ENGINE "lib.postgresql": Django's PostgreSQL backend, whose connection health
check (CONN_HEALTH_CHECKS, a ``SELECT 1``) is skipped while the connection
served a request without error less than DB_HEALTH_CHECK_DELAY seconds ago
(lib/dbhealth.py)."""

from django.db.backends.postgresql import base

from lib import dbhealth


class DatabaseWrapper(base.DatabaseWrapper):
    def close_if_health_check_failed(self):
        if self.connection is not None and not self.health_check_done and dbhealth.recently_used(self):
            self.health_check_done = True
            return
        super().close_if_health_check_failed()
