"""The content decides what a file is; a name that says otherwise is refused."""

import re

import pytest
from django.core.exceptions import ValidationError

from documents import validators
from documents.validators import check_upload, clean_name

from . import files
from .files import upload

ACCEPTED = [
    ("Protokoll.pdf", files.PDF, "pdf"),
    ("Kallelse.docx", files.docx(), "docx"),
    ("Deltagare.xlsx", files.xlsx(), "xlsx"),
    ("Minnesanteckningar.odt", files.odt(), "odt"),
    ("Närvaro.ods", files.ods(), "ods"),
    ("Affisch.png", files.png(), "png"),
    ("Foto.jpg", files.jpeg(), "jpeg"),
    ("FOTO.JPEG", files.jpeg(), "jpeg"),
]


@pytest.mark.parametrize(("name", "content", "kind"), ACCEPTED)
def test_every_accepted_kind_is_known_by_its_content(settings, name, content, kind):
    checked = check_upload(upload(name, content))
    assert checked.kind == kind
    assert checked.size == len(content)
    assert checked.name == name
    assert len(checked.sha256) == 64


RENAMED = [
    ("Beslut.docx", files.PDF, "mismatch"),  # a PDF named .docx
    ("Beslut.pdf", files.docx(), "mismatch"),  # a Word document named .pdf
    ("Tabell.pdf", files.xlsx(), "mismatch"),
    ("Text.docx", files.odt(), "mismatch"),
    ("Bild.jpg", files.png(), "mismatch"),
    ("Beslut.pdf", files.EXE, "type"),  # a program named .pdf
    ("Beslut.pdf", files.HTML, "type"),  # a web page named .pdf
    ("Beslut", files.PDF, "mismatch"),  # no ending at all
    ("Beslut.exe", files.PDF, "mismatch"),
]


@pytest.mark.parametrize(("name", "content", "code"), RENAMED)
def test_a_file_that_is_not_what_its_name_says_is_refused(name, content, code):
    with pytest.raises(ValidationError) as refused:
        check_upload(upload(name, content))
    assert refused.value.code == code
    # Named in quotes (Swedish writes ”…”, English “…”).
    assert re.search(f"[“”]{re.escape(name)}”", refused.value.message), refused.value.message


def test_other_office_files_and_damaged_archives_are_refused():
    damaged = files.docx()[:-200]  # the archive's directory cut off
    with pytest.raises(ValidationError) as refused:
        check_upload(upload("Kallelse.docx", damaged))
    assert refused.value.code == "type"
    # A ZIP that is neither Office Open XML nor OpenDocument.
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("readme.txt", "hej")
    with pytest.raises(ValidationError) as refused:
        check_upload(upload("Arkiv.docx", out.getvalue()))
    assert refused.value.code == "type"


def test_an_empty_file_is_refused():
    with pytest.raises(ValidationError) as refused:
        check_upload(upload("Tom.pdf", b""))
    assert refused.value.code == "empty" and "Tom.pdf" in refused.value.message


def test_a_file_over_the_limit_is_refused(settings):
    settings.ATTACHMENT_MAX_MB = 1
    content = files.PDF + b"%" * (1024 * 1024)
    with pytest.raises(ValidationError) as refused:
        check_upload(upload("Stor.pdf", content))
    assert refused.value.code == "too_large" and "Stor.pdf" in refused.value.message
    assert check_upload(upload("Stor.pdf", content[: 1024 * 1024])).kind == "pdf"  # exactly the limit


def test_a_zip_bomb_is_refused_before_it_is_unpacked(monkeypatch):
    bomb = files.zip_bomb()
    assert len(bomb) < 50_000
    with pytest.raises(ValidationError) as refused:
        check_upload(upload("Kallelse.docx", bomb))
    assert refused.value.code == "zip_bomb"
    # The total a whole archive may unpack to holds too, however evenly it is packed.
    monkeypatch.setattr(validators, "MAX_UNCOMPRESSED_BYTES", 1000)
    with pytest.raises(ValidationError) as refused:
        check_upload(upload("Kallelse.docx", files.docx()))
    assert refused.value.code == "zip_bomb"


def test_an_image_with_too_many_pixels_is_refused(monkeypatch):
    from PIL import Image

    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1000)  # the 40 × 30 test image has 1,200
    with pytest.raises(ValidationError) as refused:
        check_upload(upload("Affisch.png", files.png()))
    assert refused.value.code == "image_too_large"


def test_a_truncated_image_is_refused():
    with pytest.raises(ValidationError) as refused:
        check_upload(upload("Affisch.png", files.png()[:40]))
    assert refused.value.code == "type"


def test_names_are_cleaned():
    assert clean_name("../../etc/Protokoll.pdf") == "Protokoll.pdf"
    assert clean_name("C:\\Users\\anna\\Beslut KF.pdf") == "Beslut KF.pdf"
    assert clean_name('Besl<u>t\n\t"x".pdf') == "Beslut x.pdf"
    assert clean_name("..pdf") == "pdf"
    long = clean_name("å" * 300 + ".docx")
    assert len(long) == 200 and long.endswith(".docx")
