"""The patient's own pages: plain words, their own record only."""

import io

import pypdf
from django.urls import reverse

from celltrace.plans.models import QuoteAcceptance
from celltrace.portal.plain_words import GLOSSARY, explain


def test_a_patient_lands_in_the_portal_after_signing_in(client, mine):
    from testkit import PASSWORD

    response = client.post("/login/", {"username": "olga", "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == "/portal/"
    assert mine.patient.full_name in response.content.decode()


def test_the_plan_is_told_in_plain_words_with_the_quote_and_its_currency(mine, client_for):
    page = client_for(mine.user).get(reverse("portal:treatment")).content.decode()
    assert "through a drip into a vein" in page
    assert "Stem cells that support repair" in page
    assert "Physiotherapy: 4 sessions" in page
    assert "CHF 12,000.00" in page and "All amounts are in CHF" in page
    assert "Not accepted yet" in page
    assert "Intravenous infusion" not in page  # the staff's word for it
    # The product's name says MSC, and an MS patient's letters say EDSS: both explained.
    assert "<dt>MSC</dt><dd>Mesenchymal stem (stromal) cells" in page
    assert "<dt>EDSS</dt>" in page and "<dt>AIS</dt>" not in page


def test_an_accepted_quote_says_so(mine, client_for, coordinator):
    plan = mine.plan
    QuoteAcceptance.objects.create(
        plan=plan, accepted_by_name=mine.patient.full_name, accepted_at=plan.created_at,
        channel="email", quote_total=plan.quote_total, currency="CHF",
        quote_hash=plan.quote_fingerprint, recorded_by=coordinator,
    )  # fmt: skip
    page = client_for(mine.user).get(reverse("portal:treatment")).content.decode()
    assert "Accepted on" in page and "Not accepted yet" not in page


def pdf_text(pdf: bytes) -> str:
    return " ".join(
        " ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages).split()
    )


def test_the_quote_downloads_as_pdf_with_its_currency(mine, client_for):
    response = client_for(mine.user).get(reverse("portal:quote_pdf", args=[mine.plan.pk]))
    assert response.content.startswith(b"%PDF")
    assert "CHF 12,000.00" in pdf_text(response.content)


def test_the_quote_writes_a_russian_name_in_letters_a_reader_can_find(mine, client_for):
    mine.patient.full_name = "Ольга Сергеевна Иванова"
    mine.patient.save()
    response = client_for(mine.user).get(reverse("portal:quote_pdf", args=[mine.plan.pk]))
    assert "Ольга Сергеевна Иванова" in pdf_text(response.content)


def test_another_patients_quote_is_not_found(mine, stranger, client_for):
    response = client_for(stranger.user).get(reverse("portal:quote_pdf", args=[mine.plan.pk]))
    assert response.status_code == 404


def test_my_stay_tells_each_day_without_codes(discharged, client_for):
    page = client_for(discharged.user).get(reverse("portal:stay")).content.decode()
    assert "You went home on" in page
    assert "Day 2," in page
    assert "through a drip into a vein" in page
    assert "Physiotherapy (done)" in page
    assert "Headache (mild; it passed on" in page
    assert "CTCAE" not in page and "grade" not in page


def test_the_patient_downloads_their_discharge_letter_from_their_documents(
    discharged, stranger, client_for
):
    client = client_for(discharged.user)
    page = client.get(reverse("portal:documents")).content.decode()
    letter = reverse("care:discharge_letter", args=[discharged.stay.pk])
    assert letter in page
    assert client.get(letter).content.startswith(b"%PDF")
    assert client_for(stranger.user).get(letter).status_code == 404


def test_staff_cannot_open_the_patients_pages(mine, client_for, doctor):
    assert client_for(doctor).get(reverse("portal:treatment")).status_code == 403


def test_a_patient_login_without_a_record_gets_not_found(client_for, site, django_user_model):
    user = django_user_model.objects.create_user("lonely", password="x", role="patient", site=site)
    assert client_for(user).get(reverse("portal:home")).status_code == 404


def test_every_term_has_a_plain_explanation():
    for term in ("EDSS", "AIS", "PIRA", "CDI", "MSC", "exosome", "QC"):
        assert len(explain(term)) > 30
    assert explain("no such term") == ""
    assert all(str(text) for text in GLOSSARY.values())


def test_the_home_page_links_only_pages_that_exist(mine, client_for):
    page = client_for(mine.user).get(reverse("portal:home")).content.decode()
    assert "What comes next" in page
    assert 'href="None"' not in page
