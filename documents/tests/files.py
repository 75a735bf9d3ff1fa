"""Small real files of every accepted kind, and files that only pretend to be one."""

import functools
import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200
HTML = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"


# Made once: a ZIP records the second it was written, so two makings may differ.
@functools.cache
def docx() -> bytes:
    from docx import Document

    document = Document()
    document.add_paragraph("Kallelse till samråd den 12 mars.")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# Made once: a ZIP records the second it was written, so two makings may differ.
@functools.cache
def xlsx() -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(["Deltagare", 12])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# Made once: a ZIP records the second it was written, so two makings may differ.
@functools.cache
def opendocument(mimetype: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), mimetype)  # first and stored, as ODF requires
        archive.writestr("content.xml", '<?xml version="1.0"?><office:document-content/>', zipfile.ZIP_DEFLATED)
        archive.writestr(
            "META-INF/manifest.xml",
            f'<?xml version="1.0"?><manifest:manifest><manifest:file-entry manifest:media-type="{mimetype}" '
            'manifest:full-path="/"/></manifest:manifest>',
            zipfile.ZIP_DEFLATED,
        )
    return out.getvalue()


def odt() -> bytes:
    return opendocument("application/vnd.oasis.opendocument.text")


def ods() -> bytes:
    return opendocument("application/vnd.oasis.opendocument.spreadsheet")


def image(fmt: str, size=(40, 30)) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, fmt)
    return out.getvalue()


def png() -> bytes:
    return image("PNG")


def jpeg() -> bytes:
    return image("JPEG")


def zip_bomb() -> bytes:
    """A "Word document" one of whose parts unpacks to thousands of times its packed size."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            'wordprocessingml.document.main+xml"/></Types>',
        )
        archive.writestr("word/document.xml", b"<w:document/>")
        archive.writestr("word/padding.bin", b"\0" * 5_000_000)
    return out.getvalue()


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)
