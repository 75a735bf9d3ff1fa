"""Keeping data only as long as it is needed (``enforce``), and backing the
database up and restoring it (``retention.backup``). No models of its own.

``enforce`` is importable from the package (``retention.enforce``) so the
worker's schedule can call it once a day; the work is in ``retention.services``."""


def enforce(now=None, dry_run: bool = False):
    """Delete or anonymise what has been kept longer than the RETENTION_* settings
    allow. See retention.services.enforce."""
    from .services import enforce as _enforce

    return _enforce(now=now, dry_run=dry_run)
