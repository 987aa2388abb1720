"""Checking uploaded medical reports by their content: only real PDF, JPEG and PNG files pass.

The file name and the browser's content type are chosen by the sender, so neither is
trusted: the type is read from the file's first bytes, images must open and verify in
Pillow, and a PDF must end with its end-of-file marker.
"""

from __future__ import annotations

import hashlib
import warnings
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from PIL import Image, UnidentifiedImageError

from celltrace.refusal import Refused

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"

# (content type, magic bytes, extension, Pillow format)
_KINDS = (
    (PDF, b"%PDF-", "pdf", None),
    (JPEG, b"\xff\xd8\xff", "jpg", "JPEG"),
    (PNG, b"\x89PNG\r\n\x1a\n", "png", "PNG"),
)
EXTENSIONS = {content_type: extension for content_type, _m, extension, _f in _KINDS}
_PDF_EOF = b"%%EOF"
_PDF_TAIL_BYTES = 1024
_NAME_MAX_LENGTH = 200


@dataclass(frozen=True, slots=True)
class CheckedUpload:
    """An upload whose content proved to be an accepted kind, ready to store."""

    file: object
    original_name: str
    content_type: str
    extension: str
    size: int
    sha256: str


def check_upload(uploaded_file) -> CheckedUpload:
    """Return the checked upload, or raise Refused naming the file and the reason."""
    name = clean_name(getattr(uploaded_file, "name", "") or "")
    size = uploaded_file.size or 0
    limit = settings.INTAKE_MAX_ATTACHMENT_BYTES
    if size == 0:
        _refuse(name, "the file is empty")
    if size > limit:
        _refuse(name, f"the file is larger than {limit / (1024 * 1024):.0f} MB")
    head = _read(uploaded_file, 0, 16)
    kind = next((k for k in _KINDS if head.startswith(k[1])), None)
    if kind is None:
        _refuse(name, "only PDF, JPEG and PNG files are accepted")
    content_type, _magic, extension, image_format = kind
    if image_format is None:
        _check_pdf(uploaded_file, name, size)
    else:
        _check_image(uploaded_file, name, image_format)
    return CheckedUpload(
        file=uploaded_file,
        original_name=name,
        content_type=content_type,
        extension=extension,
        size=size,
        sha256=_sha256(uploaded_file),
    )


def check_uploads(uploaded_files) -> list[CheckedUpload]:
    """Check a request's attachments: no more than the clinic allows, each one by content."""
    uploaded_files = list(uploaded_files or [])
    most = settings.INTAKE_MAX_ATTACHMENTS
    if len(uploaded_files) > most:
        message = f"Attach at most {most} files."
        raise Refused(
            message,
            code="too_many_attachments",
            params={"most": most},
            field_errors={"attachments": message},
        )
    return [check_upload(f) for f in uploaded_files]


def clean_name(name: str) -> str:
    """Return the file's own name without any folder, kept only to show to staff."""
    base = PurePath(name.replace("\\", "/")).name.strip() or "attachment"
    return base[-_NAME_MAX_LENGTH:]


def _check_pdf(uploaded_file, name: str, size: int) -> None:
    tail = _read(uploaded_file, max(0, size - _PDF_TAIL_BYTES), _PDF_TAIL_BYTES)
    if _PDF_EOF not in tail:
        _refuse(name, "it starts like a PDF but is not a complete PDF document")


def _check_image(uploaded_file, name: str, image_format: str) -> None:
    uploaded_file.seek(0)
    try:
        with warnings.catch_warnings():
            # An image too large to decode safely is refused, not just warned about.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(uploaded_file) as image:
                if image.format != image_format:
                    _refuse(name, "the image is not the kind its first bytes claim")
                image.verify()
    except (
        UnidentifiedImageError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
        OSError,
        SyntaxError,
        ValueError,
    ):
        _refuse(name, "the image is damaged or not a real JPEG or PNG")
    finally:
        uploaded_file.seek(0)


def _read(uploaded_file, offset: int, length: int) -> bytes:
    uploaded_file.seek(offset)
    data = uploaded_file.read(length)
    uploaded_file.seek(0)
    return data


def _sha256(uploaded_file) -> str:
    digest = hashlib.sha256()
    uploaded_file.seek(0)
    for chunk in uploaded_file.chunks():
        digest.update(chunk)
    uploaded_file.seek(0)
    return digest.hexdigest()


def _refuse(name: str, reason: str):
    message = f"{name}: {reason}."
    raise Refused(
        f"The attachment was refused. {message}",
        code="attachment_refused",
        params={"name": name, "reason": reason},
        field_errors={"attachments": message},
    )
