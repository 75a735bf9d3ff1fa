"""A SAML 2.0 identity provider for the sign-in tests (signin/tests/test_saml.py), built
on pysaml2 and signing with Debian's xmlsec1, served by server.py in a subprocess, so
Inkludera signs in against a real provider over HTTP rather than hand-made responses.

It runs in its own virtualenv (.cache/saml-idp-venv, pinned by requirements.txt here):
pysaml2 7.5.5 needs pyOpenSSL 26, which allows no cryptography newer than 50, and
Inkludera pins cryptography 51. signin/tests/conftest.py makes the virtualenv when it is
missing or its pins changed, generates the provider's signing keys and certificates for
the test run (none are committed), and starts the provider."""
