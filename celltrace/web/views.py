"""Landing, dashboards and the patient page that every stage links back to."""

from django.shortcuts import redirect, render

from celltrace.accounts import site_time
from celltrace.accounts.access import CLINICAL_STAFF, STAFF, role_required
from celltrace.accounts.models import Role
from celltrace.followup import access as follow_up_access
from celltrace.followup.models import FollowUpEnd
from celltrace.outcomes import access as outcome_access
from celltrace.outcomes.instruments import instruments_for_condition
from celltrace.pages import page_of
from celltrace.patients.access import get_patient_for_user, patients_for_user
from celltrace.patients.history import patient_history
from celltrace.patients.models import Erasure
from celltrace.plans.access import PLAN_VIEWERS
from celltrace.screening import access as screening_access
from celltrace.stays import access as stay_access
from celltrace.web.dashboards import work_queues


def home(request):
    if request.user.is_authenticated:
        return redirect("dashboard")
    return redirect("intake:public_request")


@role_required(*Role.values)
def dashboard(request):
    if request.user.role == Role.PATIENT:
        # A patient's home is the portal, in plain words (docs/portal.md); sign-in lands here.
        return redirect("portal:home")
    return render(request, "web/dashboard.html", {"queues": work_queues(request.user)})


@role_required(*STAFF)
def patient_list(request):
    patients = patients_for_user(request.user).select_related("condition", "site")
    query = request.GET.get("q", "").strip()
    if query:
        patients = patients.filter(full_name__icontains=query) | patients.filter(code__iexact=query)
    page = page_of(request, patients.order_by("full_name", "pk"))
    return render(request, "web/patient_list.html", {"page": page, "q": query})


@role_required(*Role.values)
def patient_detail(request, pk):
    patient = get_patient_for_user(request.user, pk)
    sees = _sections_for(request.user.role)
    erasure = Erasure.objects.filter(patient=patient).first()
    context = {
        "patient": patient,
        "erasure": erasure,
        "sees": sees,
        "screenings": patient.screenings.select_related("doctor") if sees["screening"] else [],
        "plans": patient.plans.prefetch_related("products__product") if sees["plans"] else [],
        "stays": patient.stays.all() if sees["stays"] else [],
        "follow_up": patient.follow_up.all() if sees["follow_up"] else [],
        "home_doses": _home_doses(request.user, patient) if sees["follow_up"] else [],
        "follow_up_end": FollowUpEnd.objects.filter(patient=patient).first()
        if sees["follow_up"]
        else None,
        "measurements": patient.measurements.all() if sees["measurements"] else [],
        # The instruments the locked plan reports for the patient's condition.
        "instruments": instruments_for_condition(patient.condition.code)
        if sees["measurements"]
        else (),
        "history": _history(request, patient, erased=erasure is not None)
        if sees["history"]
        else [],
    }
    return render(request, "web/patient_detail.html", context)


def _history(request, patient, *, erased: bool):
    """A page of the patient's changes: the newest, or those before `?history=`."""
    before = request.GET.get("history", "")
    return patient_history(patient, before=before, erased=erased)


def _home_doses(user, patient) -> list[tuple]:
    """The patient's home-care doses, each with whether it is missed (site's today)."""
    today, _site = site_time.user_today(user)
    return [(dose, dose.is_missed(today)) for dose in patient.home_care_doses.all()]


def _sections_for(role: str) -> dict[str, bool]:
    """Show each part of the record only to the roles its own screens admit (and the patient)."""
    own = {Role.PATIENT}
    return {
        "screening": role in screening_access.VIEW_ROLES | own,
        "plans": role in PLAN_VIEWERS,
        "stays": role in stay_access.VIEW | own,
        "follow_up": role in follow_up_access.VIEW | own,
        "measurements": role in outcome_access.READ_MEASUREMENTS | own,
        "history": role in CLINICAL_STAFF,
    }
