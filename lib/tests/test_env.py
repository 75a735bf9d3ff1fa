import pytest
from django.core.exceptions import ImproperlyConfigured

from lib.env import env_bool, env_int, env_list


def test_env_helpers(monkeypatch):
    monkeypatch.setenv("X_BOOL", "yes")
    monkeypatch.setenv("X_INT", "42")
    monkeypatch.setenv("X_LIST", "a.example, b.example,")
    assert env_bool("X_BOOL") is True
    assert env_bool("X_MISSING", True) is True
    assert env_int("X_INT", 1) == 42
    assert env_list("X_LIST") == ["a.example", "b.example"]


@pytest.mark.parametrize(("name", "value", "reader"), [("X_BOOL", "maybe", env_bool), ("X_INT", "many", env_int)])
def test_env_helpers_refuse_bad_values(monkeypatch, name, value, reader):
    monkeypatch.setenv(name, value)
    with pytest.raises(ImproperlyConfigured):
        reader(name, 0) if reader is env_int else reader(name)
