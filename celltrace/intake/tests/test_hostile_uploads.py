"""The hostile upload set is refused at every door, and real reports still get in.

The doors: the public request form and its API endpoint, the advisor's attachment form and
its API endpoint. Each refusal must leave no request, no attachment row and no file.
"""

import io
import os
import stat

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from celltrace.intake.models import Attachment, ConsultationRequest
from celltrace.intake.tests.conftest import stored_files
from celltrace.intake.tests.hostile_files import HOSTILE, image_bytes, valid_pdf
from celltrace.refusal import Refused
from celltrace.uploads import check_upload

API = "/api/intake/requests"


def file_of(name, content_type, build):
    return SimpleUploadedFile(name, build(), content_type=content_type)


@pytest.fixture
def doors(client_for, advisor, make_request, fields):
    """Post one file through a door; return (response, whether it was refused there)."""
    consultation = make_request()

    def public_form(upload):
        data = {**fields, "consent_health_data": "on", "attachments": [upload]}
        response = client_for(advisor).post(reverse("intake:public_request"), data)
        return response.status_code == 200 and bool(response.context["form"].errors)

    def public_api(upload):
        data = {**fields, "consent_health_data": "true", "attachments": [upload]}
        response = client_for(advisor).post(API, data)
        return response.status_code == 422 and response.json()["code"] == "attachment_refused"

    def advisor_form(upload):
        url = reverse("intake:add_attachment", args=[consultation.pk])
        response = client_for(advisor).post(url, {"file": upload})
        return response.status_code == 200 and bool(response.context["attachment_form"].errors)

    def advisor_api(upload):
        response = client_for(advisor).post(
            f"{API}/{consultation.pk}/attachments", {"file": upload}
        )
        return response.status_code == 422 and response.json()["code"] == "attachment_refused"

    return {
        "public form": public_form,
        "public api": public_api,
        "advisor form": advisor_form,
        "advisor api": advisor_api,
    }


def test_the_hostile_set_is_large_enough():
    assert len(HOSTILE) >= 30
    assert len({case[0] for case in HOSTILE}) == len(HOSTILE)


@pytest.mark.parametrize("door", ["public form", "public api", "advisor form", "advisor api"])
@pytest.mark.parametrize(
    ("name", "content_type", "build"),
    [case[1:] for case in HOSTILE],
    ids=[case[0] for case in HOSTILE],
)
def test_every_hostile_file_is_refused_with_nothing_saved(
    door, name, content_type, build, doors, uploads_dir
):
    requests_before = ConsultationRequest.objects.count()
    assert doors[door](file_of(name, content_type, build))
    assert ConsultationRequest.objects.count() == requests_before
    assert Attachment.objects.count() == 0
    assert stored_files(uploads_dir) == []


@pytest.mark.parametrize("door", ["public form", "public api", "advisor form", "advisor api"])
@pytest.mark.parametrize(
    ("name", "content_type", "content"),
    [
        ("report.pdf", "application/pdf", valid_pdf()),
        ("mri.jpg", "image/jpeg", image_bytes("JPEG")),
        ("mri.jpeg", "application/octet-stream", image_bytes("JPEG")),
        ("scan.png", "image/png", image_bytes("PNG")),
        ("palette.png", "image/png", image_bytes("PNG", mode="P")),
    ],
)
def test_real_reports_are_accepted_at_every_door(
    door, name, content_type, content, doors, uploads_dir
):
    assert not doors[door](SimpleUploadedFile(name, content, content_type=content_type))
    attachment = Attachment.objects.get()
    assert attachment.original_name == name
    assert [p.name for p in stored_files(uploads_dir)] == [attachment.file.name.split("/")[-1]]


def test_stored_files_are_readable_by_the_server_alone(doors, uploads_dir):
    doors["advisor api"](SimpleUploadedFile("report.pdf", valid_pdf(), "application/pdf"))
    (path,) = stored_files(uploads_dir)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(path.parent).st_mode) == 0o700


def test_an_image_is_stored_re_encoded_without_its_exif():
    photo = Image.new("RGB", (40, 20), "teal")
    exif = Image.Exif()
    exif[0x010F] = "Camera Maker"  # Make
    exif[0x8825] = {2: (38.0, 43.0, 0.0)}  # GPS: where the patient lives
    exif[0x0112] = 6  # Orientation: rotate 90 degrees to show upright
    buffer = io.BytesIO()
    photo.save(buffer, format="JPEG", exif=exif)

    checked = check_upload(SimpleUploadedFile("mri.jpg", buffer.getvalue(), "image/jpeg"))

    with Image.open(io.BytesIO(checked.content)) as stored:
        assert not stored.getexif()
        assert "exif" not in stored.info
        assert stored.size == (20, 40)  # turned upright before the orientation was dropped


def test_a_png_is_stored_without_its_text_chunks():
    buffer = io.BytesIO()
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Patient", "Maria Santos")
    Image.new("RGB", (8, 8), "teal").save(buffer, format="PNG", pnginfo=info)
    checked = check_upload(SimpleUploadedFile("scan.png", buffer.getvalue(), "image/png"))
    assert b"Maria Santos" not in checked.content
    assert checked.sha256 != ""


def test_a_pdf_with_a_plain_link_and_an_opening_page_is_accepted():
    from celltrace.intake.tests.hostile_files import raw_pdf

    content = raw_pdf(
        b"<< /Type /Annot /Subtype /Link /Rect [0 0 9 9] /A << /S /URI /URI (https://x.org) >> >>",
        root_extra=b"/OpenAction [3 0 R /Fit]",
        page_extra=b"/Annots [4 0 R]",
    )
    checked = check_upload(SimpleUploadedFile("report.pdf", content, "application/pdf"))
    assert checked.content == content


def test_each_refusal_names_the_file_and_its_reason():
    from celltrace.intake.tests.hostile_files import JS, raw_pdf

    scripted = raw_pdf(JS, root_extra=b"/OpenAction 4 0 R")
    with pytest.raises(Refused) as refusal:
        check_upload(SimpleUploadedFile("labs.pdf", scripted, "application/pdf"))
    assert refusal.value.field_errors["attachments"] == "labs.pdf: the PDF holds JavaScript."


@pytest.mark.parametrize(
    "name", ["report\x1b[2J.pdf", "report\u202egpj.pdf", "report\x00.pdf", "line\nbreak.pdf"]
)
def test_a_name_with_hidden_characters_is_refused_even_past_the_web_doors(name, fields):
    # Django's upload parser drops them before the forms and the API see the name; an
    # action called any other way still refuses them.
    from celltrace.intake.actions import submit_request

    with pytest.raises(Refused) as refusal:
        submit_request(
            fields=fields,
            files=[SimpleUploadedFile(name, valid_pdf(), "application/pdf")],
            client_address=None,
        )
    assert "hidden characters" in refusal.value.message
    assert ConsultationRequest.objects.count() == 0
