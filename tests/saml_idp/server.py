"""A SAML 2.0 identity provider for the sign-in tests, built on pysaml2 (see __init__.py).

Run with the provider's own interpreter (.cache/saml-idp-venv, signin/tests/conftest.py):

    python tests/saml_idp/server.py --port P --key idp.key --cert idp.crt \\
        --other-key other.key --other-cert other.crt --dir DIR

It serves, on 127.0.0.1:P,
- /metadata: its own metadata (entity id http://127.0.0.1:P/metadata);
- /sso/redirect: single sign-on (HTTP-Redirect binding in, HTTP-POST binding out): it reads
  the service provider's metadata from the request's issuer (its entity id, which must be an
  address on this machine), signs in whoever /test-login/ signed this browser in as, and
  answers with the auto-posting form a browser would get;
- /test-login/<username>/?email=…: signs this browser in at the provider, so no form is needed;
- /test-mode/<mode>/: how the next answers misbehave (MODES);
- /health: for the fixture to wait on.

It is test-only and runs nowhere else.
"""

from __future__ import annotations

import argparse
import base64
import secrets
import sys
import time
import zlib
from contextlib import contextmanager
from datetime import datetime, timedelta
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import parse_qs, urlparse
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import requests
from defusedxml.ElementTree import fromstring
from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT, saml, time_util
from saml2.config import IdPConfig
from saml2.metadata import create_metadata_string
from saml2.saml import NAME_FORMAT_URI, NAMEID_FORMAT_PERSISTENT, NAMEID_FORMAT_TRANSIENT
from saml2.server import Server
from saml2.xmldsig import DIGEST_SHA256, SIG_RSA_SHA256

# normal: a signed assertion for the service provider, valid for five minutes from now.
# other-key: signed with a key the service provider does not know.
# unsigned: no signature at all.
# expired / not-yet-valid: made by a provider whose clock is an hour behind / ahead.
# wrong-audience: an assertion for another service provider.
# unsolicited: an answer to no request (as in IdP-initiated sign-on).
# oid-attributes: a correct answer with attributes named by OID, a subject-id and a transient
# NameID, as a Shibboleth-style identity provider (common in Sambi) sends them; the others
# name them as ADFS does, with a persistent NameID.
MODES = (
    "normal",
    "other-key",
    "unsigned",
    "expired",
    "not-yet-valid",
    "wrong-audience",
    "unsolicited",
    "oid-attributes",
)
OTHER_SP = "https://another-service.example/saml/metadata/"
SAML_NS = "{urn:oasis:names:tc:SAML:2.0:assertion}"
EMAIL = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress"
GIVEN_NAME = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname"
OBJECT_ID = "http://schemas.microsoft.com/identity/claims/objectidentifier"
OID_MAIL = "urn:oid:0.9.2342.19200300.100.1.3"
OID_GIVEN_NAME = "urn:oid:2.5.4.42"
SUBJECT_ID = "urn:oasis:names:tc:SAML:attribute:subject-id"

state = {"mode": "normal"}
sessions: dict[str, tuple[str, str]] = {}  # cookie value -> (username, email)


class Provider:
    def __init__(self, base: str, key: Path, cert: Path, other_key: Path, other_cert: Path, work: Path):
        self.base = base
        self.keys = {"normal": (key, cert), "other": (other_key, other_cert)}
        self.work = work

    def config(self, *, sp_metadata: str | None = None, signing: str = "normal") -> IdPConfig:
        key, cert = self.keys[signing]
        conf = {
            "entityid": f"{self.base}/metadata",
            "service": {
                "idp": {
                    "name": "Inkludera test IdP",
                    "endpoints": {"single_sign_on_service": [(f"{self.base}/sso/redirect", BINDING_HTTP_REDIRECT)]},
                    "name_id_format": [NAMEID_FORMAT_PERSISTENT],
                    "want_authn_requests_signed": False,
                    "policy": {
                        "default": {
                            "lifetime": {"minutes": 5},
                            "attribute_restrictions": None,
                            "name_form": NAME_FORMAT_URI,
                        }
                    },
                }
            },
            "key_file": str(key),
            "cert_file": str(cert),
            "xmlsec_binary": "/usr/bin/xmlsec1",
            "metadata": {"inline": [sp_metadata]} if sp_metadata else {},
            "allow_unknown_attributes": True,
        }
        config = IdPConfig()
        config.load(conf)
        return config

    def metadata(self) -> str:
        return create_metadata_string(None, config=self.config(), sign=False, valid=1)

    def answer(self, saml_request: str, relay_state: str, username: str, email: str) -> str:
        """The auto-posting HTML form that answers this AuthnRequest."""
        issuer = _request_issuer(saml_request)
        host = urlparse(issuer).hostname
        if host not in ("127.0.0.1", "localhost"):
            raise ValueError(f"not a test service provider: {issuer}")
        # Like an IdP fed the service provider's metadata: read from its entity id.
        sp_metadata = requests.get(issuer, timeout=10)
        sp_metadata.raise_for_status()
        mode = state["mode"]
        server = Server(
            config=self.config(sp_metadata=sp_metadata.text, signing="other" if mode == "other-key" else "normal")
        )
        request = server.parse_authn_request(saml_request, BINDING_HTTP_REDIRECT).message
        args = server.response_args(request, [BINDING_HTTP_POST])
        audience = OTHER_SP if mode == "wrong-audience" else args["sp_entity_id"]
        if mode == "oid-attributes":
            identity = {OID_MAIL: [email], OID_GIVEN_NAME: [username], SUBJECT_ID: [f"{username}@idp.test"]}
            name_id = saml.NameID(format=NAMEID_FORMAT_TRANSIENT, text=secrets.token_hex(16))
        else:
            identity = {EMAIL: [email], GIVEN_NAME: [username], OBJECT_ID: [f"object-{username}"]}
            name_id = saml.NameID(format=NAMEID_FORMAT_PERSISTENT, text=f"persistent-{username}")
        shift = {"expired": -3600, "not-yet-valid": 3600}.get(mode, 0)
        with _clock_shifted(shift):
            response = server.create_authn_response(
                identity,
                in_response_to=None if mode == "unsolicited" else args["in_response_to"],
                destination=args["destination"],
                sp_entity_id=audience,
                name_id=name_id,
                authn={"class_ref": saml.AUTHN_PASSWORD_PROTECTED, "authn_auth": self.base},
                sign_assertion=mode != "unsigned",
                sign_response=False,
                sign_alg=SIG_RSA_SHA256,
                digest_alg=DIGEST_SHA256,
            )
        http_args = server.apply_binding(
            BINDING_HTTP_POST, str(response), args["destination"], relay_state, response=True
        )
        return http_args["data"]


def _request_issuer(saml_request: str) -> str:
    xml = zlib.decompress(base64.b64decode(saml_request), -15)
    issuer = fromstring(xml).find(f"{SAML_NS}Issuer")
    if issuer is None or not issuer.text:
        raise ValueError("the AuthnRequest has no issuer")
    return issuer.text.strip()


@contextmanager
def _clock_shifted(seconds: int):
    """pysaml2 reads the clock through time.gmtime and datetime.now (saml2.time_util)."""
    if not seconds:
        yield
        return
    real_gmtime, real_datetime = time.gmtime, time_util.datetime

    class ShiftedDatetime(datetime):
        @classmethod
        def now(cls, tz=None):
            return real_datetime.now(tz) + timedelta(seconds=seconds)

    time.gmtime = lambda secs=None: real_gmtime(time.time() + seconds if secs is None else secs)
    time_util.datetime = ShiftedDatetime
    try:
        yield
    finally:
        time.gmtime, time_util.datetime = real_gmtime, real_datetime


def make_app(provider: Provider):
    def app(environ, start_response):
        path = environ.get("PATH_INFO", "")
        query = {k: v[0] for k, v in parse_qs(environ.get("QUERY_STRING", "")).items()}
        cookies = SimpleCookie(environ.get("HTTP_COOKIE", ""))

        def reply(status, body, content_type="text/plain; charset=utf-8", headers=()):
            start_response(status, [("Content-Type", content_type), *headers])
            return [body.encode()]

        if path == "/health":
            return reply("200 OK", "ok\n")
        if path == "/metadata":
            return reply("200 OK", provider.metadata(), "application/samlmetadata+xml")
        if path.startswith("/test-mode/"):
            mode = path.strip("/").split("/")[-1]
            if mode not in MODES:
                return reply("404 Not Found", f"no mode {mode}\n")
            state["mode"] = mode
            return reply("200 OK", f"mode {mode}\n")
        if path.startswith("/test-login/"):
            username = path.strip("/").split("/")[-1]
            token = secrets.token_urlsafe(16)
            sessions[token] = (username, query.get("email", ""))
            # Its own cookie name: Inkludera's test server is on the same host.
            cookie = f"idp_session={token}; Path=/; HttpOnly"
            return reply("200 OK", f"signed in as {username}\n", headers=[("Set-Cookie", cookie)])
        if path == "/sso/redirect":
            morsel = cookies.get("idp_session")
            who = sessions.get(morsel.value) if morsel else None
            if who is None:
                return reply("401 Unauthorized", "not signed in at the test provider\n")
            if "SAMLRequest" not in query:
                return reply("400 Bad Request", "no SAMLRequest\n")
            try:
                form = provider.answer(query["SAMLRequest"], query.get("RelayState", ""), *who)
            except Exception as exc:  # the test reads the log
                print(f"SSO failed: {exc!r}", file=sys.stderr, flush=True)
                return reply("400 Bad Request", f"SSO failed: {exc!r}\n")
            return reply("200 OK", form, "text/html; charset=utf-8")
        return reply("404 Not Found", "not found\n")

    return app


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):
        sys.stderr.write("%s\n" % (format % args))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    for name in ("key", "cert", "other-key", "other-cert", "dir"):
        parser.add_argument(f"--{name}", type=Path, required=True)
    args = parser.parse_args()
    provider = Provider(f"http://127.0.0.1:{args.port}", args.key, args.cert, args.other_key, args.other_cert, args.dir)
    with make_server("127.0.0.1", args.port, make_app(provider), WSGIServer, QuietHandler) as httpd:
        print(f"SAML test IdP on http://127.0.0.1:{args.port}", flush=True)
        httpd.serve_forever()


if __name__ == "__main__":
    main()
