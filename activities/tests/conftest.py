import pytest


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    """Uploaded import files (imports.jobs) go to the test's own directory."""
    settings.MEDIA_ROOT = tmp_path / "media"
