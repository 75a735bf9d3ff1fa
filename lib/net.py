def client_ip_behind_proxy(request) -> str | None:
    """The client's address as seen by the one trusted reverse proxy in front of
    Inkludera: the last entry of X-Forwarded-For, which the proxy appends.
    Entries before it were sent by the client and cannot be trusted."""
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if forwarded:
        return forwarded.split(",")[-1].strip() or None
    return request.META.get("REMOTE_ADDR")
