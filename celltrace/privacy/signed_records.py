"""The content of a signed erasure now, for `verify_signatures` (autodiscovered)."""

from celltrace.patients.models import Erasure
from celltrace.privacy.actions import erasure_content
from celltrace.signatures.models import Signature
from celltrace.signatures.service import signed_content


@signed_content(Erasure, Signature.Meaning.RESPONSIBILITY)
def erasure_content_now(erasure: Erasure, signature: Signature) -> dict:
    return erasure_content(erasure)
