"""How the provider behaves right now, set per test through /test-mode/<mode>/ and read
on every token it issues. runserver serves all requests from one process, so a module
global is seen by every request."""

MODES = ("normal", "wrong-audience", "expired")

current = {"mode": "normal"}


def mode() -> str:
    return current["mode"]


def set_mode(value: str) -> None:
    if value not in MODES:
        raise ValueError(value)
    current["mode"] = value
