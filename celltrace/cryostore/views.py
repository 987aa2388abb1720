"""The cryostore screens: overview, containers and box grids, scans, thaws, alarms, consents."""

from django.contrib import messages
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from celltrace.accounts.access import has_role, role_required
from celltrace.cryostore import actions, store
from celltrace.cryostore.access import (
    CONSENT_RECORDERS,
    STORE_KEEPERS,
    STORE_VIEWERS,
    containers_for_user,
    get_alarm_for_user,
    get_consent_for_user,
    get_container_for_user,
    get_patient_for_store,
)
from celltrace.cryostore.forms import (
    AcknowledgeForm,
    ConsentForm,
    ContainerForm,
    LimitsForm,
    ReadingForm,
    ScanForm,
    ThawForm,
)
from celltrace.cryostore.models import STORAGE_UNITS, Container, Movement, Placement
from celltrace.cryostore.scanning import scanned_container, scanned_lot
from celltrace.refusal import Refused, show_refusal


def _tree(containers) -> list[tuple[Container, int]]:
    """The site's containers above positions, depth first, each with its depth."""
    rows = list(containers.exclude(kind=Container.Kind.POSITION).order_by("code"))
    children = {}
    for row in rows:
        children.setdefault(row.parent_id, []).append(row)
    ordered = []

    def walk(parent_id, depth):
        for row in children.get(parent_id, []):
            ordered.append((row, depth))
            walk(row.pk, depth + 1)

    walk(None, 0)
    return ordered


@role_required(*STORE_VIEWERS)
def overview(request):
    containers = containers_for_user(request.user)
    units = list(store.storage_units(containers))
    occupancy = store.occupancy(containers)
    context = {
        "tree": [(c, depth, occupancy.get(c.pk, (0, 0))) for c, depth in _tree(containers)],
        "units": units,
        "alarms": store.open_alarms(containers),
        "silent": store.silent_units(units),
        "ending": store.ending_periods(containers),
        "movements": Movement.objects.filter(
            Q(to_position__in=containers) | Q(from_position__in=containers)
        ).select_related("lot", "from_position", "to_position", "moved_by")[:20],
        "can_keep": has_role(request.user, STORE_KEEPERS),
    }
    return render(request, "cryostore/overview.html", context)


def _grid(box):
    positions = box.children.filter(kind=Container.Kind.POSITION)
    lots = {
        p.position_id: p.lot
        for p in Placement.objects.filter(
            position__parent=box, removed_at__isnull=True
        ).select_related("lot__product")
    }
    grid = {}
    for position in positions:
        grid.setdefault(position.row, []).append((position, lots.get(position.pk)))
    return [sorted(cells, key=lambda cell: cell[0].column) for _row, cells in sorted(grid.items())]


def _ancestors(container) -> list[Container]:
    chain, parent = [], container.parent
    while parent is not None:
        chain.insert(0, parent)
        parent = parent.parent
    return chain


def _container_page(request, container, *, refusal=None, **forms):
    can_keep = has_role(request.user, STORE_KEEPERS)
    unit = container.kind in STORAGE_UNITS
    occupancy = store.occupancy(containers_for_user(request.user))
    context = {
        "container": container,
        "ancestors": _ancestors(container),
        "children": [
            (child, occupancy.get(child.pk, (0, 0)))
            for child in container.children.exclude(kind=Container.Kind.POSITION)
        ],
        "grid": _grid(container) if container.kind == Container.Kind.BOX else None,
        "refusal": refusal,
        "can_keep": can_keep,
    }
    if container.kind == Container.Kind.POSITION:
        context["here"] = (
            container.placements.filter(removed_at__isnull=True).select_related("lot").first()
        )
        context["movements"] = Movement.objects.filter(
            Q(to_position=container) | Q(from_position=container)
        ).select_related("lot", "from_position", "to_position", "moved_by")
    if unit:
        last = container.readings.order_by("-read_at").values_list("read_at", flat=True).first()
        context |= {
            "readings": container.readings.select_related("recorded_by", "alarm")[:50],
            "alarms": container.alarms.select_related("reading", "acknowledged_by"),
            "silent": store.silence_message(container, last),
            "reading_form": forms.get("reading_form")
            or ReadingForm(initial={"read_at": timezone.localtime().replace(second=0)}),
            "limits_form": forms.get("limits_form")
            or LimitsForm(
                initial={
                    "min_c": container.min_c,
                    "max_c": container.max_c,
                    "reading_interval_minutes": container.reading_interval_minutes,
                }
            ),
            "acknowledge_form": forms.get("acknowledge_form") or AcknowledgeForm(),
        }
    return render(request, "cryostore/container.html", context)


@role_required(*STORE_VIEWERS)
def container(request, pk):
    return _container_page(request, get_container_for_user(request.user, pk))


@role_required(*STORE_KEEPERS)
def new_container(request):
    containers = containers_for_user(request.user)
    form = ContainerForm(request.POST or None, containers=containers)
    refusal = None
    if request.method == "POST" and form.is_valid():
        try:
            made = actions.add_container(request.user.site, request.user, **form.cleaned_data)
        except Refused as error:
            refusal = error
            show_refusal(form, error)
        else:
            messages.success(request, f"{made} added.")
            return redirect(made)
    return render(request, "cryostore/new_container.html", {"form": form, "refusal": refusal})


def _post_on_container(request, container, form_name, form, call, done):
    if form.is_valid():
        try:
            call(form)
        except Refused as error:
            show_refusal(form, error)
            return _container_page(request, container, refusal=error, **{form_name: form})
        messages.success(request, done)
        return redirect(container)
    return _container_page(request, container, **{form_name: form})


@require_POST
@role_required(*STORE_KEEPERS)
def add_reading(request, pk):
    unit = get_container_for_user(request.user, pk)

    def call(form):
        actions.record_reading(unit, request.user, **form.cleaned_data)

    form = ReadingForm(request.POST)
    return _post_on_container(request, unit, "reading_form", form, call, "Reading recorded.")


@require_POST
@role_required(*STORE_KEEPERS)
def set_limits(request, pk):
    unit = get_container_for_user(request.user, pk)

    def call(form):
        actions.set_limits(unit, request.user, **form.cleaned_data)

    form = LimitsForm(request.POST)
    return _post_on_container(request, unit, "limits_form", form, call, "Limits saved.")


@require_POST
@role_required(*STORE_KEEPERS)
def acknowledge(request, pk):
    alarm = get_alarm_for_user(request.user, pk)

    def call(form):
        actions.acknowledge_alarm(alarm, request.user, **form.cleaned_data)

    form = AcknowledgeForm(request.POST)
    done = "Alarm acknowledged."
    return _post_on_container(request, alarm.container, "acknowledge_form", form, call, done)


def _scan_move(user, data) -> Movement:
    lot = scanned_lot(user, data["lot"])
    if data["move"] == "retrieve":
        return actions.retrieve_lot(lot, user)
    position = scanned_container(user, data["position"])
    if data["move"] == "transfer":
        return actions.transfer_lot(lot, position, user)
    return actions.deposit_lot(lot, position, user)


@role_required(*STORE_KEEPERS)
def scan(request):
    """Deposit, retrieve or transfer a lot by scanning its label and a position's sticker."""
    form = ScanForm(request.POST or None, initial={"move": request.GET.get("move", "deposit")})
    refusal = None
    if request.method == "POST" and form.is_valid():
        try:
            movement = _scan_move(request.user, form.cleaned_data)
        except Refused as error:
            refusal = error
            show_refusal(form, error)
        else:
            where = movement.to_position or movement.from_position
            messages.success(
                request, f"{movement.get_kind_display()} of lot {movement.lot.code}: {where.code}."
            )
            return redirect(reverse("cryostore:scan") + f"?move={form.cleaned_data['move']}")
    return render(request, "cryostore/scan.html", {"form": form, "refusal": refusal})


@role_required(*STORE_KEEPERS)
def thaw(request):
    form = ThawForm(
        request.POST or None, initial={"thawed_at": timezone.localtime().replace(second=0)}
    )
    refusal = None
    if request.method == "POST" and form.is_valid():
        try:
            lot = scanned_lot(request.user, form.cleaned_data["lot"])
            lot = actions.thaw_lot(lot, request.user, thawed_at=form.cleaned_data["thawed_at"])
        except Refused as error:
            refusal = error
            show_refusal(form, error)
        else:
            expiry = timezone.localtime(lot.expires_at)
            messages.success(request, f"Lot {lot.code} thawed; use it by {expiry:%Y-%m-%d %H:%M}.")
            return redirect(lot)
    return render(request, "cryostore/thaw.html", {"form": form, "refusal": refusal})


@role_required(*CONSENT_RECORDERS)
def consent(request, patient_pk):
    """A patient's storage consents, and the form to record a new one."""
    patient = get_patient_for_store(request.user, patient_pk)
    form = ConsentForm(request.POST or None)
    refusal = None
    if request.method == "POST" and form.is_valid():
        try:
            actions.record_storage_consent(patient, request.user, **form.cleaned_data)
        except Refused as error:
            refusal = error
            show_refusal(form, error)
        else:
            messages.success(request, "Storage consent recorded.")
            return redirect("cryostore:consent", patient_pk=patient.pk)
    context = {
        "patient": patient,
        "consents": patient.storage_consents.select_related("recorded_by", "withdrawn_by"),
        "current": store.current_consent(patient),
        "form": form,
        "refusal": refusal,
    }
    return render(request, "cryostore/consent.html", context)


@require_POST
@role_required(*CONSENT_RECORDERS)
def withdraw_consent(request, pk):
    consent = get_consent_for_user(request.user, pk)
    try:
        actions.withdraw_storage_consent(consent, request.user)
    except Refused as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Consent withdrawn.")
    return redirect("cryostore:consent", patient_pk=consent.patient_id)
