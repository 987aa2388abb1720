"""The one checker of uploaded files: only harmless PDF, JPEG and PNG files pass.

Every door that takes a file (the public request form and API, the advisor's attachment
form and API) calls `check_upload`; it reads the whole file and returns the bytes to store.
Nothing the sender chose is trusted:

- the name keeps no folder, no control or direction-changing character, and its extension,
  the declared type and the first bytes must all say the same kind;
- the bytes are scanned for malware: by ClamAV when CELLTRACE_CLAMD_ADDRESS names a clamd,
  otherwise only for the EICAR test signature (docs/uploads.md);
- a PDF is parsed with pypdf and refused when it holds JavaScript, actions that run on
  opening or on events, launch actions, embedded files, XFA forms, encryption, too many
  pages or objects, streams that decompress beyond a limit, or data after its end;
- an image is decoded by Pillow (with its pixel limit against decompression bombs) and
  re-encoded from its pixels alone, so EXIF, comments, trailing bytes and any second file
  hidden in it are not stored.
"""

from __future__ import annotations

import hashlib
import io
import unicodedata
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from PIL import Image, ImageOps, UnidentifiedImageError
from pypdf import PdfReader, apply_configuration
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    StreamObject,
)

from celltrace import clamav
from celltrace.refusal import Refused

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"


@dataclass(frozen=True, slots=True)
class Kind:
    content_type: str
    magic: bytes
    extensions: tuple[str, ...]
    image_format: str | None


KINDS = (
    Kind(PDF, b"%PDF-", ("pdf",), None),
    Kind(JPEG, b"\xff\xd8\xff", ("jpg", "jpeg"), "JPEG"),
    Kind(PNG, b"\x89PNG\r\n\x1a\n", ("png",), "PNG"),
)
EXTENSIONS = {kind.content_type: kind.extensions[0] for kind in KINDS}
# Declared types that say nothing (some API clients send these for any file).
_UNDECLARED_TYPES = {"", "application/octet-stream"}

NAME_MAX_LENGTH = 200
# Markup that makes a file a web page too, when a browser or a viewer is tricked into it.
_MARKUP = (b"<script", b"<html", b"<svg", b"<iframe", b"<body", b"<?php", b"javascript:")
EICAR_SIGNATURE = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"  # noqa: S105

# PDF limits: far above a scanned medical report, far below what would exhaust the server.
PDF_MAX_PAGES = 500
PDF_MAX_OBJECTS = 50_000
PDF_MAX_STREAM_BYTES = 50 * 1024 * 1024  # one stream, decompressed
PDF_MAX_TOTAL_BYTES = 200 * 1024 * 1024  # all streams, decompressed
PDF_MAX_DEPTH = 50
_PDF_EOF = b"%%EOF"
# Keys and values whose presence makes a PDF do something beyond showing pages.
_PDF_ACTIVE_KEYS = {
    "/JS": "JavaScript",
    "/JavaScript": "JavaScript",
    "/AA": "actions that run on events",
    "/Launch": "a launch action",
    "/EmbeddedFiles": "embedded files",
    "/EmbeddedFile": "embedded files",
    "/EF": "embedded files",
    "/XFA": "an XFA form",
    "/RichMedia": "rich media",
}
_PDF_ACTIVE_ACTIONS = {
    "/JavaScript": "JavaScript",
    "/Launch": "a launch action",
    "/ImportData": "an import action",
    "/SubmitForm": "a form that submits data",
    "/GoToE": "an embedded file action",
    "/RichMediaExecute": "rich media",
    "/Rendition": "a media action",
    "/Sound": "a sound action",
    "/Movie": "a movie action",
}
_PDF_ACTIVE_SUBTYPES = {
    "/FileAttachment": "embedded files",
    "/RichMedia": "rich media",
    "/Screen": "a media annotation",
    "/Movie": "a movie annotation",
    "/Sound": "a sound annotation",
}
_PDF_SAFE_OPEN_ACTIONS = {"/GoTo"}

# About 7000 x 7000: any photo of a report; below Pillow's own bomb limit (89 million).
IMAGE_MAX_PIXELS = 50_000_000
_IMAGE_MODES = {"JPEG": ("L", "RGB"), "PNG": ("1", "L", "LA", "RGB", "RGBA", "I", "I;16")}


@dataclass(frozen=True, slots=True)
class CheckedUpload:
    """An upload whose content proved harmless: the bytes to store and what they are."""

    content: bytes
    original_name: str
    content_type: str
    extension: str

    @property
    def size(self) -> int:
        return len(self.content)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


def check_upload(uploaded_file) -> CheckedUpload:
    """Return what to store of the upload, or raise Refused naming the file and the reason."""
    name = clean_name(getattr(uploaded_file, "name", "") or "")
    size = uploaded_file.size or 0
    limit = settings.INTAKE_MAX_ATTACHMENT_BYTES
    if size == 0:
        _refuse(name, "the file is empty")
    if size > limit:
        _refuse(name, f"the file is larger than {limit / (1024 * 1024):.0f} MB")
    data = _read_all(uploaded_file, limit)
    if len(data) > limit:
        _refuse(name, f"the file is larger than {limit / (1024 * 1024):.0f} MB")
    _scan_for_malware(name, data)
    kind = next((k for k in KINDS if data.startswith(k.magic)), None)
    if kind is None:
        _refuse(name, "only PDF, JPEG and PNG files are accepted")
    extension = PurePath(name).suffix.lower().removeprefix(".")
    if extension not in kind.extensions:
        _refuse(
            name,
            f"the content is {EXTENSIONS[kind.content_type].upper()} but the name "
            "does not end in " + " or ".join(f".{e}" for e in kind.extensions),
        )
    declared = (getattr(uploaded_file, "content_type", "") or "").split(";")[0].strip().lower()
    if declared not in _UNDECLARED_TYPES and declared != kind.content_type:
        _refuse(name, f"it was sent as {declared} but its content is {kind.content_type}")
    lowered = data.lower()
    if any(marker in lowered for marker in _MARKUP):
        _refuse(name, "it also holds web page code (a file that is two files at once)")
    if kind.image_format is None:
        _check_pdf(name, data)
        content = data
    else:
        end = _image_end(data, kind.image_format)
        if end is None:
            _refuse(name, "the image is damaged or not a real JPEG or PNG")
        if data[end:].strip(b"\0"):
            _refuse(name, "it holds other data after the end of the image")
        content = _reencode_image(name, data, kind.image_format)
    return CheckedUpload(
        content=content,
        original_name=name,
        content_type=kind.content_type,
        extension=EXTENSIONS[kind.content_type],
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
    """Return the file's own name, checked, kept only to show to staff (never to store under).

    A name with control or direction-changing characters (which make `exe.pdf` look like
    `fdp.exe`) or too long to show is refused; a folder part is dropped.
    """
    name = unicodedata.normalize("NFC", name)
    if any(unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") for c in name):
        _refuse(_printable(name), "the file name holds control or hidden characters")
    base = PurePath(name.replace("\\", "/")).name.strip()
    if not base or base.startswith("."):
        _refuse("the file", "it has no name")
    if len(base) > NAME_MAX_LENGTH:
        _refuse(base[:40] + "…", f"the file name is longer than {NAME_MAX_LENGTH} characters")
    return base


def _printable(name: str) -> str:
    cleaned = "".join(c if unicodedata.category(c)[0] != "C" else "?" for c in name)
    return cleaned[:NAME_MAX_LENGTH] or "the file"


def _read_all(uploaded_file, limit: int) -> bytes:
    uploaded_file.seek(0)
    data = uploaded_file.read(limit + 1)
    uploaded_file.seek(0)
    return data


def _scan_for_malware(name: str, data: bytes) -> None:
    address = settings.CLAMD_ADDRESS
    if not address:
        if EICAR_SIGNATURE in data:
            _refuse(name, "it holds malware (Eicar-Test-Signature)")
        return
    try:
        verdict = clamav.scan_bytes(address, data, timeout=settings.CLAMD_TIMEOUT)
    except clamav.ScannerUnavailable:
        # Fail closed: a file the virus scanner could not see is not kept.
        raise Refused(
            f"The attachment was refused. {name}: it could not be checked for viruses just "
            "now; please try again later.",
            code="scanner_unavailable",
            params={"name": name},
            field_errors={"attachments": f"{name}: it could not be checked for viruses."},
        ) from None
    if not verdict.clean:
        _refuse(name, f"it holds malware ({verdict.signature})")


def _check_pdf(name: str, data: bytes) -> None:
    eof = data.rfind(_PDF_EOF)
    if eof < 0:
        _refuse(name, "it starts like a PDF but is not a complete PDF document")
    if data[eof + len(_PDF_EOF) :].strip(b"\r\n\t \0"):
        _refuse(name, "it holds other data after the end of the PDF")
    limits = {
        "maximum_declared_stream_length": PDF_MAX_STREAM_BYTES,
        "array_based_stream_maximum_output_length": PDF_MAX_STREAM_BYTES,
        "jbig2_maximum_output_length": PDF_MAX_STREAM_BYTES,
        "lzw_maximum_output_length": PDF_MAX_STREAM_BYTES,
        "run_length_maximum_output_length": PDF_MAX_STREAM_BYTES,
        "zlib_maximum_output_length": PDF_MAX_STREAM_BYTES,
        "brotli_maximum_output_length": PDF_MAX_STREAM_BYTES,
        "page_tree_maximum_entries": PDF_MAX_PAGES * 2,
    }
    try:
        with apply_configuration(**limits):
            reader = PdfReader(io.BytesIO(data), strict=False)
            if reader.is_encrypted:
                _refuse(name, "the PDF is encrypted, so its content cannot be checked")
            problem = _pdf_problem(reader)
    except Refused:
        raise
    except Exception:  # noqa: BLE001 - pypdf raises many kinds on hostile input; all mean no
        _refuse(name, "the PDF is damaged or exceeds the limits of a medical report")
    if problem:
        _refuse(name, f"the PDF holds {problem}")


def _pdf_problem(reader: PdfReader) -> str | None:
    """What in the PDF makes it more than pages to look at, or None."""
    ids = {(num, gen) for gen, table in reader.xref.items() for num in table}
    ids |= {(num, 0) for num in reader.xref_objStm}
    if len(ids) > PDF_MAX_OBJECTS:
        return f"more than {PDF_MAX_OBJECTS} objects"
    pages = len(reader.pages)
    if pages == 0:
        return "no pages"
    if pages > PDF_MAX_PAGES:
        return f"more than {PDF_MAX_PAGES} pages"
    found = _active_content(reader.trailer, 0)
    if found:
        return found
    total = 0
    for num, gen in sorted(ids):
        obj = reader.get_object(IndirectObject(num, gen, reader))
        if found := _active_content(obj, 0):
            return found
        if isinstance(obj, StreamObject):
            total += len(obj.get_data())
            if total > PDF_MAX_TOTAL_BYTES:
                return "more compressed content than a medical report would"
    return None


def _active_content(obj, depth: int) -> str | None:
    """Look through one object's direct contents (indirect ones are visited by number)."""
    if depth > PDF_MAX_DEPTH:
        return "objects nested too deeply"
    if isinstance(obj, DictionaryObject):
        for key, value in obj.items():
            if key in _PDF_ACTIVE_KEYS:
                return _PDF_ACTIVE_KEYS[key]
            if key == "/S" and value in _PDF_ACTIVE_ACTIONS:
                return _PDF_ACTIVE_ACTIONS[value]
            if key == "/Subtype" and value in _PDF_ACTIVE_SUBTYPES:
                return _PDF_ACTIVE_SUBTYPES[value]
            if found := _active_content(value, depth + 1):
                return found
            if key == "/OpenAction" and (problem := _open_action_problem(value)):
                return problem
    elif isinstance(obj, ArrayObject):
        for item in obj:
            if found := _active_content(item, depth + 1):
                return found
    return None


def _open_action_problem(value) -> str | None:
    action = value.get_object() if isinstance(value, IndirectObject) else value
    if found := _active_content(action, 1):
        return found
    if isinstance(action, DictionaryObject):
        kind = action.get("/S")
        if not isinstance(kind, NameObject) or kind not in _PDF_SAFE_OPEN_ACTIONS:
            return "an action that runs on opening"
    return None


def _image_end(data: bytes, image_format: str) -> int | None:
    """Where the image's own data ends (after PNG's IEND chunk or JPEG's EOI marker)."""
    return _png_end(data) if image_format == "PNG" else _jpeg_end(data)


def _png_end(data: bytes) -> int | None:
    pos = 8
    while pos + 12 <= len(data):
        length = int.from_bytes(data[pos : pos + 4], "big")
        chunk_type = data[pos + 4 : pos + 8]
        pos += 12 + length
        if chunk_type == b"IEND":
            return pos if pos <= len(data) else None
    return None


def _jpeg_end(data: bytes) -> int | None:
    pos = 2  # after SOI
    size = len(data)
    while pos + 2 <= size:
        if data[pos] != 0xFF:
            return None
        marker = data[pos + 1]
        if marker == 0xFF:  # fill byte
            pos += 1
            continue
        if marker == 0xD9:  # EOI
            return pos + 2
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:
            pos += 2
            continue
        if pos + 4 > size:
            return None
        pos += 2 + int.from_bytes(data[pos + 2 : pos + 4], "big")
        if marker == 0xDA:  # start of scan: entropy-coded data runs to the next real marker
            while True:
                pos = data.find(b"\xff", pos)
                if pos < 0 or pos + 1 >= size:
                    return None
                following = data[pos + 1]
                if following != 0x00 and not 0xD0 <= following <= 0xD7:
                    break
                pos += 2
    return None


def _reencode_image(name: str, data: bytes, image_format: str) -> bytes:
    """Decode the image and write its pixels alone into a new file of the same format."""
    try:
        with Image.open(io.BytesIO(data), formats=[image_format]) as image:
            width, height = image.size
            if width * height > IMAGE_MAX_PIXELS:
                _refuse(name, f"the image has more than {IMAGE_MAX_PIXELS:,} pixels")
            image.load()
            upright = ImageOps.exif_transpose(image)
        if upright.mode not in _IMAGE_MODES[image_format]:
            upright = upright.convert("RGBA" if image_format == "PNG" else "RGB")
        # A new image from the pixels alone: no EXIF, text chunks, ICC profile or comments.
        clean = Image.frombytes(upright.mode, upright.size, upright.tobytes())
        out = io.BytesIO()
        if image_format == "JPEG":
            clean.save(out, format="JPEG", quality=92)
        else:
            clean.save(out, format="PNG")
        return out.getvalue()
    except Image.DecompressionBombError:
        # Pillow's own limit (Image.MAX_IMAGE_PIXELS), met before the size can be read.
        _refuse(name, f"the image has more than {IMAGE_MAX_PIXELS:,} pixels")
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        _refuse(name, "the image is damaged or not a real JPEG or PNG")


def _refuse(name: str, reason: str):
    message = f"{name}: {reason}."
    raise Refused(
        f"The attachment was refused. {message}",
        code="attachment_refused",
        params={"name": name, "reason": reason},
        field_errors={"attachments": message},
    )
