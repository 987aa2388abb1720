"""Landing, dashboards and the patient page that every stage links back to."""

from django.shortcuts import redirect, render

from celltrace.accounts.access import STAFF, get_patient_for_user, patients_for_user, role_required
from celltrace.accounts.models import Role
from celltrace.patients.history import patient_history
from celltrace.web.dashboards import work_queues


def home(request):
    if request.user.is_authenticated:
        return redirect("dashboard")
    return redirect("intake:public_request")


@role_required(*Role.values)
def dashboard(request):
    return render(request, "web/dashboard.html", {"queues": work_queues(request.user)})


@role_required(*STAFF)
def patient_list(request):
    patients = patients_for_user(request.user).select_related("condition", "site")
    query = request.GET.get("q", "").strip()
    if query:
        patients = patients.filter(full_name__icontains=query) | patients.filter(code__iexact=query)
    return render(request, "web/patient_list.html", {"patients": patients[:200], "q": query})


@role_required(*Role.values)
def patient_detail(request, pk):
    patient = get_patient_for_user(request.user, pk)
    context = {
        "patient": patient,
        "screenings": patient.screenings.select_related("doctor"),
        "plans": patient.plans.prefetch_related("products__product"),
        "stays": patient.stays.all(),
        "follow_up": patient.follow_up.all(),
        "measurements": patient.measurements.all(),
        "history": patient_history(patient) if request.user.role != Role.PATIENT else [],
    }
    return render(request, "web/patient_detail.html", context)
