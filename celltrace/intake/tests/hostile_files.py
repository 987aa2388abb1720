"""A hostile upload set, built in code: every file here must be refused by every door.

Each entry is (id, name, content type, bytes builder). The builders are small and
deterministic; the expensive ones (the bombs) are built once.
"""

from __future__ import annotations

import functools
import io
import struct
import zlib

from PIL import Image
from pypdf import PdfWriter

from celltrace.uploads import EICAR_SIGNATURE, IMAGE_MAX_PIXELS, PDF_MAX_PAGES

PAGE = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] %s >>"


def raw_pdf(*objects: bytes, root_extra: bytes = b"", page_extra: bytes = b"") -> bytes:
    """A PDF written by hand, with a correct cross-reference table.

    Objects 1 (catalog), 2 (pages) and 3 (one page) are always there; `objects` are numbered
    from 4 on.
    """
    bodies = [
        b"<< /Type /Catalog /Pages 2 0 R " + root_extra + b" >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        PAGE % page_extra,
        *objects,
    ]
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(bodies, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(bodies) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(bodies) + 1,
        xref,
    )
    return bytes(out)


def stream(data: bytes, *, flate: bool = False) -> bytes:
    if flate:
        data = zlib.compress(data, 9)
    header = b"<< /Length %d%s >>" % (len(data), b" /Filter /FlateDecode" if flate else b"")
    return header + b"\nstream\n" + data + b"\nendstream"


def image_bytes(fmt: str, size=(16, 16), mode="RGB", **save) -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size, "teal" if mode == "RGB" else 1).save(buffer, format=fmt, **save)
    return buffer.getvalue()


def png_with_chunk(chunk_type: bytes, data: bytes) -> bytes:
    """A real PNG with one more chunk before IEND."""
    png = image_bytes("PNG")
    chunk = struct.pack(">I", len(data)) + chunk_type + data
    chunk += struct.pack(">I", zlib.crc32(chunk_type + data))
    return png[:-12] + chunk + png[-12:]


def png_claiming_size(width: int, height: int) -> bytes:
    """A small PNG whose header claims a huge image: decoding it would take gigabytes."""
    png = bytearray(image_bytes("PNG", mode="1"))
    ihdr = png[12:29]
    ihdr[4:12] = struct.pack(">II", width, height)
    png[12:29] = ihdr
    png[29:33] = struct.pack(">I", zlib.crc32(bytes(ihdr)))
    return bytes(png)


def jpeg_claiming_size(width: int, height: int) -> bytes:
    jpeg = bytearray(image_bytes("JPEG"))
    sof = jpeg.index(b"\xff\xc0")
    jpeg[sof + 5 : sof + 9] = struct.pack(">HH", height, width)
    return bytes(jpeg)


def pdf_pages(count: int) -> bytes:
    writer = PdfWriter()
    for _ in range(count):
        writer.add_blank_page(width=100, height=100)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def valid_pdf() -> bytes:
    return raw_pdf()


@functools.cache
def pdf_bomb() -> bytes:
    """60 MB of zeros in about 60 kB: one page's content stream."""
    return raw_pdf(stream(b"\0" * (60 * 1024 * 1024), flate=True), page_extra=b"/Contents 4 0 R")


JS = b"<< /S /JavaScript /JS (app.alert\\(document.cookie\\)) >>"
ZIP = (
    b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + b"\0" * 20 + b"payload.exe" + b"PK\x05\x06" + b"\0" * 18
)
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\0" * 50 + b"This program cannot"
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\0" * 56
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
HTML = b"<!doctype html><html><body><script>fetch('/api/')</script></body></html>"

HOSTILE = [
    # --- scripted and active PDFs
    (
        "pdf-openaction-js",
        "report.pdf",
        "application/pdf",
        lambda: raw_pdf(JS, root_extra=b"/OpenAction 4 0 R"),
    ),
    (
        "pdf-openaction-inline-js",
        "report.pdf",
        "application/pdf",
        lambda: raw_pdf(root_extra=b"/OpenAction " + JS),
    ),
    (
        "pdf-javascript-names-tree",
        "report.pdf",
        "application/pdf",
        lambda: raw_pdf(
            b"<< /JavaScript 5 0 R >>", b"<< /Names [(x) 6 0 R] >>", JS, root_extra=b"/Names 4 0 R"
        ),
    ),
    (
        "pdf-page-additional-action",
        "report.pdf",
        "application/pdf",
        lambda: raw_pdf(JS, page_extra=b"/AA << /O 4 0 R >>"),
    ),
    (
        "pdf-catalog-additional-action",
        "report.pdf",
        "application/pdf",
        lambda: raw_pdf(JS, root_extra=b"/AA << /WC 4 0 R >>"),
    ),
    (
        "pdf-launch",
        "report.pdf",
        "application/pdf",
        lambda: raw_pdf(b"<< /S /Launch /F (cmd.exe) >>", root_extra=b"/OpenAction 4 0 R"),
    ),
    (
        "pdf-launch-in-link",
        "report.pdf",
        "application/pdf",
        lambda: raw_pdf(
            b"<< /Type /Annot /Subtype /Link /Rect [0 0 9 9] /A << /S /Launch /F (x.exe) >> >>",
            page_extra=b"/Annots [4 0 R]",
        ),
    ),
    (
        "pdf-openaction-uri",
        "report.pdf",
        "application/pdf",
        lambda: raw_pdf(
            b"<< /S /URI /URI (http://198.51.100.1/x) >>", root_extra=b"/OpenAction 4 0 R"
        ),
    ),
    (
        "pdf-embedded-files",
        "report.pdf",
        "application/pdf",
        lambda: raw_pdf(
            b"<< /EmbeddedFiles 5 0 R >>",
            b"<< /Names [(a.exe) 6 0 R] >>",
            b"<< /Type /Filespec /F (a.exe) /EF << /F 7 0 R >> >>",
            stream(EXE),
            root_extra=b"/Names 4 0 R",
        ),
    ),
    (
        "pdf-file-attachment-annotation",
        "report.pdf",
        "application/pdf",
        lambda: raw_pdf(
            b"<< /Type /Annot /Subtype /FileAttachment /Rect [0 0 9 9] /FS (a.exe) >>",
            page_extra=b"/Annots [4 0 R]",
        ),
    ),
    (
        "pdf-xfa",
        "report.pdf",
        "application/pdf",
        lambda: raw_pdf(stream(b"<xdp:xdp/>"), root_extra=b"/AcroForm << /Fields [] /XFA 4 0 R >>"),
    ),
    (
        "pdf-hex-escaped-javascript",
        "report.pdf",
        "application/pdf",
        lambda: raw_pdf(
            b"<< /S /J#61vaScript /J#53 (app.alert\\(1\\)) >>", root_extra=b"/OpenAction 4 0 R"
        ),
    ),
    ("pdf-unreferenced-javascript", "report.pdf", "application/pdf", lambda: raw_pdf(JS)),
    ("pdf-decompression-bomb", "report.pdf", "application/pdf", pdf_bomb),
    ("pdf-too-many-pages", "report.pdf", "application/pdf", lambda: pdf_pages(PDF_MAX_PAGES + 1)),
    (
        "pdf-encrypted",
        "report.pdf",
        "application/pdf",
        lambda: raw_pdf(b"<< /Filter /Standard /V 1 /R 2 /O (x) /U (y) /P -4 >>").replace(
            b"/Root 1 0 R", b"/Root 1 0 R /Encrypt 4 0 R /ID [(a)(a)]"
        ),
    ),
    (
        "pdf-unparseable",
        "report.pdf",
        "application/pdf",
        lambda: b"%PDF-1.7\n" + bytes(range(256)) * 20 + b"\n%%EOF\n",
    ),
    ("pdf-no-eof", "report.pdf", "application/pdf", lambda: valid_pdf()[:-7]),
    ("pdf-trailing-zip", "report.pdf", "application/pdf", lambda: valid_pdf() + ZIP),
    (
        "pdf-html-polyglot",
        "report.pdf",
        "application/pdf",
        lambda: raw_pdf(stream(HTML), page_extra=b"/Contents 4 0 R"),
    ),
    # --- images with payloads, bombs and lies
    ("png-trailing-zip", "scan.png", "image/png", lambda: image_bytes("PNG") + ZIP),
    ("jpeg-trailing-html", "mri.jpg", "image/jpeg", lambda: image_bytes("JPEG") + HTML),
    (
        "png-text-chunk-html",
        "scan.png",
        "image/png",
        lambda: png_with_chunk(b"tEXt", b"Comment\0" + HTML),
    ),
    (
        "jpeg-comment-php",
        "mri.jpg",
        "image/jpeg",
        lambda: image_bytes("JPEG", comment=b"<?php system($_GET['c']); ?>"),
    ),
    ("png-pixel-bomb", "scan.png", "image/png", lambda: png_claiming_size(20_000, 20_000)),
    (
        "png-just-over-the-limit",
        "scan.png",
        "image/png",
        lambda: png_claiming_size(IMAGE_MAX_PIXELS // 1000 + 1, 1000),
    ),
    ("jpeg-pixel-bomb", "mri.jpg", "image/jpeg", lambda: jpeg_claiming_size(65_000, 65_000)),
    ("png-truncated", "scan.png", "image/png", lambda: image_bytes("PNG")[:60]),
    ("gif-named-png", "scan.png", "image/png", lambda: image_bytes("GIF")),
    ("webp-named-jpg", "mri.jpg", "image/jpeg", lambda: image_bytes("WEBP")),
    # --- not a report at all
    ("svg", "chart.svg", "image/svg+xml", lambda: SVG),
    ("svg-named-png", "chart.png", "image/png", lambda: SVG),
    ("html", "report.html", "text/html", lambda: HTML),
    ("html-named-pdf", "report.pdf", "application/pdf", lambda: HTML),
    (
        "html-behind-pdf-header",
        "report.pdf",
        "application/pdf",
        lambda: b"%PDF-1.4\n" + HTML + b"\n%%EOF\n",
    ),
    ("exe", "setup.exe", "application/x-msdownload", lambda: EXE),
    ("exe-named-pdf", "report.pdf", "application/pdf", lambda: EXE),
    ("elf-named-jpg", "mri.jpg", "image/jpeg", lambda: ELF),
    ("zip", "reports.zip", "application/zip", lambda: ZIP),
    ("zip-named-pdf", "report.pdf", "application/pdf", lambda: ZIP),
    ("gzip-named-pdf", "report.pdf", "application/pdf", lambda: zlib.compress(valid_pdf())),
    # --- malware test signatures
    ("eicar", "eicar.com", "application/octet-stream", lambda: EICAR_SIGNATURE),
    ("eicar-named-pdf", "report.pdf", "application/pdf", lambda: EICAR_SIGNATURE),
    ("eicar-after-pdf", "report.pdf", "application/pdf", lambda: valid_pdf() + EICAR_SIGNATURE),
    (
        "eicar-in-pdf-stream",
        "report.pdf",
        "application/pdf",
        lambda: raw_pdf(stream(EICAR_SIGNATURE), page_extra=b"/Contents 4 0 R"),
    ),
    (
        "eicar-in-png-chunk",
        "scan.png",
        "image/png",
        lambda: png_with_chunk(b"tEXt", b"Comment\0" + EICAR_SIGNATURE),
    ),
    # --- names and types that lie
    ("pdf-named-exe", "report.exe", "application/pdf", valid_pdf),
    ("pdf-double-extension", "report.pdf.exe", "application/pdf", valid_pdf),
    ("pdf-no-extension", "report", "application/pdf", valid_pdf),
    ("pdf-declared-as-html", "report.pdf", "text/html", valid_pdf),
    ("jpeg-declared-as-png", "mri.jpg", "image/png", lambda: image_bytes("JPEG")),
    ("png-named-jpg", "scan.jpg", "image/jpeg", lambda: image_bytes("PNG")),
    ("name-right-to-left-override", "report\u202egpj.exe", "application/pdf", valid_pdf),
    ("name-control-characters-only", "\x1b\x07\x00.pdf", "application/pdf", valid_pdf),
    ("name-windows-path-dot-pdf", "C:\\Users\\x\\.pdf", "application/pdf", valid_pdf),
    ("name-too-long", "a" * 300 + ".pdf", "application/pdf", valid_pdf),
    ("name-only-extension", ".pdf", "application/pdf", valid_pdf),
    # --- sizes
    ("zero-bytes", "report.pdf", "application/pdf", lambda: b""),
    (
        "huge",
        "report.pdf",
        "application/pdf",
        lambda: valid_pdf()[:-6] + b" " * (10 * 1024 * 1024) + b"%%EOF\n",
    ),
]
