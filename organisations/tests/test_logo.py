"""The municipality's logo: a PNG or JPEG of limited pixel dimensions, judged
from its header, so a small file that unpacks to a huge image is refused."""

import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from plans.tests.test_views import browser_form
from reports.jobs import _logo


def png(width: int, height: int, *, rows: int | None = None) -> bytes:
    """A greyscale PNG whose header says width × height; only ``rows`` rows of
    pixels are written (all by default), so a huge claim costs a few bytes."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    pixels = zlib.compress(b"\x00" * (width + 1) * (height if rows is None else rows))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def upload(world, content: bytes):
    client = world.client("coordinator")
    url = reverse("organisations:settings")
    data = browser_form(client.get(url), url)
    data["logo"] = SimpleUploadedFile("logo.png", content, content_type="image/png")
    return client.post(url, data)


@pytest.mark.parametrize(
    ("width", "height"),
    [(12_000, 12_000), (4001, 10), (10, 4001), (4000, 4001)],
)
def test_a_logo_of_too_many_pixels_is_refused_from_its_header(world, width, height):
    content = png(width, height, rows=1)
    assert len(content) < 30_000
    response = upload(world, content)
    assert response.status_code == 400
    assert response.context["form"].errors["logo"] == [
        f"Logotypen är {width} × {height} pixlar; högst 4000 × 4000 och 16 megapixlar tas emot. "
        "Gör den mindre och ladda upp den igen."
    ]
    assert "Logotypen är" in response.content.decode()
    world.municipality.refresh_from_db()
    assert not world.municipality.logo


def test_a_logo_within_the_limits_is_saved_and_used_in_reports(world):
    response = upload(world, png(400, 100))
    assert response.status_code == 302
    world.municipality.refresh_from_db()
    assert world.municipality.logo.name.startswith("logos/")
    assert _logo(world.municipality) is not None


def test_a_stored_logo_of_too_many_pixels_is_left_out_of_reports_undecoded(world, tmp_path):
    (tmp_path / "logos").mkdir()
    (tmp_path / "logos" / "stor.png").write_bytes(png(12_000, 12_000, rows=1))
    world.municipality.logo.name = "logos/stor.png"
    assert _logo(world.municipality) is None
    (tmp_path / "logos" / "liten.png").write_bytes(png(400, 100))
    world.municipality.logo.name = "logos/liten.png"
    assert _logo(world.municipality).read_bytes() == png(400, 100)  # a copy read through the storage
