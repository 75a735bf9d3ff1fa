"""lib/dbhealth.py and lib/postgresql: a connection that served a request a moment ago
is not health-checked again; one idle for DB_HEALTH_CHECK_DELAY seconds, or one that
had an error, is."""

import time

import pytest
from django.core.signals import request_finished
from django.db import connection, connections

from lib import dbhealth


@pytest.fixture
def fresh(db):
    """The connection wrapper itself (not django.db.connection, a proxy to it), as no request left it."""
    wrapper = connections["default"]
    wrapper.ensure_connection()
    wrapper.__dict__.pop(dbhealth._FINISHED_AT, None)
    yield wrapper
    wrapper.__dict__.pop(dbhealth._FINISHED_AT, None)
    wrapper.errors_occurred = False


def test_a_connection_that_just_finished_a_request_counts_as_recently_used(fresh, settings):
    settings.DB_HEALTH_CHECK_DELAY = 10
    assert not dbhealth.recently_used(fresh)  # never finished a request
    request_finished.send(sender=None)
    assert dbhealth.recently_used(fresh)


def test_idle_longer_than_the_delay_or_an_error_or_a_delay_of_zero_means_checked(fresh, settings):
    settings.DB_HEALTH_CHECK_DELAY = 10
    dbhealth.note_request_finished()
    setattr(fresh, dbhealth._FINISHED_AT, time.monotonic() - 11)
    assert not dbhealth.recently_used(fresh)
    dbhealth.note_request_finished()
    fresh.errors_occurred = True
    assert not dbhealth.recently_used(fresh)
    fresh.errors_occurred = False
    settings.DB_HEALTH_CHECK_DELAY = 0
    assert not dbhealth.recently_used(fresh)


def test_a_request_that_had_an_error_is_not_noted(fresh, settings):
    settings.DB_HEALTH_CHECK_DELAY = 10
    fresh.errors_occurred = True
    dbhealth.note_request_finished()
    fresh.errors_occurred = False
    assert not dbhealth.recently_used(fresh)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the SELECT 1 health check is PostgreSQL's")
def test_postgresql_skips_the_check_right_after_a_request_and_makes_it_after_idling(fresh, settings, monkeypatch):
    from lib.postgresql.base import DatabaseWrapper

    assert isinstance(fresh, DatabaseWrapper)
    settings.DB_HEALTH_CHECK_DELAY = 10
    checks = []
    monkeypatch.setattr(type(fresh), "is_usable", lambda self: checks.append(1) or True)
    monkeypatch.setattr(fresh, "health_check_enabled", True)
    dbhealth.note_request_finished()
    fresh.health_check_done = False  # as at the start of a request
    fresh.close_if_health_check_failed()
    assert checks == [] and fresh.health_check_done
    setattr(fresh, dbhealth._FINISHED_AT, time.monotonic() - 11)
    fresh.health_check_done = False
    fresh.close_if_health_check_failed()
    assert checks == [1] and fresh.health_check_done
