"""CPU time of checking an upload (documents.validators.check_upload), by kind.

Run by hand: .venv/bin/python bench/attachment_checks.py
Prints the median of 7 runs of time.process_time() per file (docs/documents.md).
"""

import io
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "1")

import django

django.setup()

from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from PIL import Image  # noqa: E402

from documents.tests import files  # noqa: E402
from documents.validators import check_upload  # noqa: E402


def photo() -> bytes:
    out = io.BytesIO()
    Image.effect_noise((4032, 3024), 60).convert("RGB").save(out, "JPEG", quality=85)  # a 12-megapixel phone photo
    return out.getvalue()


CASES = [
    ("PDF, 20 MB", "Beslut.pdf", files.PDF + os.urandom(20 * 1024 * 1024 - len(files.PDF) - 1)),
    ("DOCX", "Kallelse.docx", files.docx()),
    ("XLSX", "Deltagare.xlsx", files.xlsx()),
    ("JPEG, 12 megapixels", "Foto.jpg", photo()),
    ("zip bomb (refused)", "Kallelse.docx", files.zip_bomb()),
]

for label, name, content in CASES:
    times = []
    for _ in range(7):
        upload = SimpleUploadedFile(name, content)
        start = time.process_time()
        try:
            check_upload(upload)
        except Exception as exc:  # the refused case
            assert "zip" in label, exc
        times.append(time.process_time() - start)
    print(f"{label:24} {len(content) / 1e6:8.2f} MB  {statistics.median(times) * 1000:8.1f} ms CPU (median of 7)")
