"""Django's PostgreSQL backend with a health check skipped right after a good request (lib/dbhealth.py)."""
