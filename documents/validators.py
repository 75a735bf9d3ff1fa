"""What an uploaded file is, judged from its content, not its name.

Accepted: PDF, DOCX, XLSX, ODT, ODS, PNG and JPEG (docs/documents.md). The
content decides the kind; the name must then end as that kind's files do, so a
Word document named .pdf, or a web page named .pdf, is refused. Errors are
Swedish sentences that name the file (ValidationError, shown at the form's
file field).

- PDF: starts with ``%PDF-``.
- DOCX, XLSX: a ZIP archive whose ``[Content_Types].xml`` declares the main
  part of a Word document or an Excel workbook, and holds that part.
- ODT, ODS: a ZIP archive whose ``mimetype`` member names the OpenDocument type.
- PNG, JPEG: opened by Pillow, which reads the size from the header and
  refuses a decompression bomb (more pixels than Image.MAX_IMAGE_PIXELS), then
  ``verify()`` checks the file's structure.

A ZIP archive is refused before anything is unpacked when it lists too many
parts, claims to unpack to more than MAX_UNCOMPRESSED_BYTES, or packs a large
part more tightly than MAX_COMPRESSION_RATIO (a zip bomb). Python's zipfile
stops reading a part at its declared size, so no part unpacks to more.
"""

from __future__ import annotations

import hashlib
import io
import struct
import unicodedata
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from lxml import etree
from PIL import Image

# The name's ending each kind may have (lower case).
EXTENSIONS = {
    "pdf": (".pdf",),
    "docx": (".docx",),
    "xlsx": (".xlsx",),
    "odt": (".odt",),
    "ods": (".ods",),
    "png": (".png",),
    "jpeg": (".jpg", ".jpeg"),
}
# What the download says the file is.
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "png": "image/png",
    "jpeg": "image/jpeg",
}
# The main part an Office Open XML package declares in [Content_Types].xml.
OOXML_MAIN = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": "xlsx",
}
# What other Office files declare (for the error message: a file we know but do not take).
OOXML_OTHER = {
    "application/vnd.ms-word.document.macroEnabled.main+xml": "docm",
    "application/vnd.ms-excel.sheet.macroEnabled.main+xml": "xlsm",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml": "pptx",
}
ODF_MIMETYPES = {
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
}
# ZIP archives (DOCX, XLSX, ODT, ODS).
MAX_UNCOMPRESSED_BYTES = 200_000_000
MAX_COMPRESSION_RATIO = 100
RATIO_FLOOR_BYTES = 1_000_000
MAX_PARTS = 5_000
MAX_CONTENT_TYPES_BYTES = 1_000_000
# Leave the name this long, at most (the model's field).
MAX_NAME_LENGTH = 200

KIND_LABELS = {
    "pdf": "PDF",
    "docx": "Word (DOCX)",
    "xlsx": "Excel (XLSX)",
    "odt": "OpenDocument (ODT)",
    "ods": "OpenDocument (ODS)",
    "png": "PNG",
    "jpeg": "JPEG",
}


@dataclass(frozen=True)
class CheckedFile:
    kind: str
    size: int
    sha256: str
    name: str  # the uploaded name, cleaned


def max_bytes() -> int:
    return settings.ATTACHMENT_MAX_MB * 1024 * 1024


def clean_name(name: str) -> str:
    """The uploaded file's name without any folder, control characters or
    characters that do not belong in a name, at most MAX_NAME_LENGTH long with
    its extension kept."""
    name = PurePosixPath(str(name).replace("\\", "/")).name
    name = unicodedata.normalize("NFC", name)
    name = "".join(" " if unicodedata.category(c)[0] in "CZ" and c != " " else c for c in name)
    name = " ".join("".join(c for c in name if c not in '<>:"/\\|?*').split()).strip(" .")
    if len(name) > MAX_NAME_LENGTH:
        suffix = PurePosixPath(name).suffix[:10]
        name = name[: MAX_NAME_LENGTH - len(suffix)] + suffix
    return name


def refused_types() -> str:
    return _("Attach PDF, Word (DOCX), Excel (XLSX), OpenDocument (ODT, ODS), PNG or JPEG files.")


def check_upload(upload) -> CheckedFile:
    """The kind, size and checksum of an uploaded file (Django's UploadedFile or
    any file object with a ``name``); ValidationError when it is not accepted."""
    name = clean_name(getattr(upload, "name", "") or "") or _("the file")
    size = _size(upload)
    if size == 0:
        raise ValidationError(_("“%(name)s” is empty.") % {"name": name}, code="empty")
    if size > max_bytes():
        raise ValidationError(
            _("“%(name)s” is %(size)s MB; the largest file that can be attached is %(max)d MB.")
            % {"name": name, "size": _megabytes(size), "max": settings.ATTACHMENT_MAX_MB},
            code="too_large",
        )
    upload.seek(0)
    kind = detect_kind(upload, name)
    if kind not in EXTENSIONS:
        raise ValidationError(
            _("“%(name)s” is not a file that can be attached. %(types)s") % {"name": name, "types": refused_types()},
            code="type",
        )
    if not name.lower().endswith(EXTENSIONS[kind]):
        raise ValidationError(
            _(
                "“%(name)s” is not what its name says: its content is a %(kind)s file. "
                "Check that you chose the right file, or give it a name that ends in %(ending)s."
            )
            % {"name": name, "kind": KIND_LABELS[kind], "ending": EXTENSIONS[kind][0]},
            code="mismatch",
        )
    return CheckedFile(kind=kind, size=size, sha256=_sha256(upload), name=name)


def detect_kind(upload, name: str) -> str | None:
    """ "pdf", "docx", … from the content; another Office kind ("pptx", "docm") or
    None when it is none of them. Raises ValidationError for a zip bomb or an
    image too large to open."""
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(upload, name)
    if head.startswith(b"\x89PNG\r\n\x1a\n") or head.startswith(b"\xff\xd8\xff"):
        return _image_kind(upload, name)
    return None


def _zip_kind(upload, name: str) -> str | None:
    try:
        with zipfile.ZipFile(upload) as archive:
            members = archive.infolist()
            _check_archive(members, name)
            names = {info.filename for info in members}
            if "mimetype" in names:
                mimetype = archive.read("mimetype")[:200].decode("ascii", "replace").strip()
                return ODF_MIMETYPES.get(mimetype)
            if "[Content_Types].xml" in names:
                info = archive.getinfo("[Content_Types].xml")
                if info.file_size > MAX_CONTENT_TYPES_BYTES:
                    return None
                return _ooxml_kind(archive.read(info), names)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, RuntimeError, EOFError, NotImplementedError):
        return None  # damaged, encrypted or compressed in a way zipfile does not read
    finally:
        upload.seek(0)
    return None


def _ooxml_kind(xml: bytes, names: set[str]) -> str | None:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        root = etree.fromstring(xml, parser)
    except etree.XMLSyntaxError:
        return None
    for override in root.iter("{*}Override"):
        content_type = override.get("ContentType", "")
        part = override.get("PartName", "").lstrip("/")
        kind = OOXML_MAIN.get(content_type) or OOXML_OTHER.get(content_type)
        if kind and part in names:
            return kind
    return None


def _check_archive(members: list[zipfile.ZipInfo], name: str) -> None:
    """Refuse a zip bomb before anything is unpacked (the sizes the archive declares)."""
    bomb = ValidationError(
        _("“%(name)s” unpacks to far more than its size and cannot be attached.") % {"name": name}, code="zip_bomb"
    )
    if len(members) > MAX_PARTS or sum(info.file_size for info in members) > MAX_UNCOMPRESSED_BYTES:
        raise bomb
    for info in members:
        if info.file_size > RATIO_FLOOR_BYTES and info.file_size > MAX_COMPRESSION_RATIO * max(info.compress_size, 1):
            raise bomb


def _image_kind(upload, name: str) -> str | None:
    try:
        with warnings.catch_warnings():
            # Above MAX_IMAGE_PIXELS Pillow only warns (above twice that it refuses): refuse both.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as image:
                kind = {"PNG": "png", "JPEG": "jpeg"}.get(image.format or "")
                image.verify()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ValidationError(
            _("“%(name)s” is an image with too many pixels to be attached.") % {"name": name}, code="image_too_large"
        ) from exc
    except (OSError, ValueError, SyntaxError, struct.error):
        return None
    finally:
        upload.seek(0)
    return kind


def _size(upload) -> int:
    size = getattr(upload, "size", None)
    if size is None:
        upload.seek(0, io.SEEK_END)
        size = upload.tell()
        upload.seek(0)
    return int(size)


def _sha256(upload) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in iter(lambda: upload.read(1 << 20), b""):
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".replace(".", ",")
