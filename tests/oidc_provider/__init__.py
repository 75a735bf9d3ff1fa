"""A small OpenID Connect provider for the sign-in tests (signin/tests/test_oidc.py):
django-oauth-toolkit with OpenID Connect on, run as its own Django project in a
subprocess with its own SQLite file, so Inkludera signs in against a real provider
over HTTP rather than a mock of its own client code.

Test-only additions, nowhere else than here:
- /test-login/<username>/?email=… signs the test browser in at the provider (creating
  or updating that user with that address), so authorisation needs no form;
- /test-mode/<mode>/ makes the provider misbehave from then on: "wrong-audience" issues
  id_tokens for another client, "expired" issues id_tokens that have already expired,
  "normal" behaves again (validators.ProviderValidator).

Start it with `python -m django serve_test_provider 127.0.0.1:<port> --redirect-uri …`
and DJANGO_SETTINGS_MODULE=tests.oidc_provider.settings (signin/tests/conftest.py does)."""
