"""On discharge the plan's home care becomes dated doses (clinical/home_care.py).

Called by `stays.actions.discharge_patient` inside its transaction, after its checks: no
action of its own, the discharge is the doctor's act that schedules them.
"""

import datetime as dt

from celltrace.audit import save_by
from celltrace.clinical import home_care
from celltrace.homecare.models import HomeCareDose


def schedule_home_care(stay, discharge_day: dt.date, doctor) -> list[HomeCareDose]:
    """Write one dose per dose day of each home-care item of the stay's plan; return them."""
    plan = stay.plan
    items = {item.pk: item for item in plan.home_care.select_related("product")}
    written = []
    for item in items.values():
        for dose in home_care.schedule([item.to_domain()], discharge_day):
            written.append(
                save_by(
                    HomeCareDose(
                        patient=stay.patient,
                        stay=stay,
                        planned=item,
                        product=item.product,
                        what=item.what,
                        route=item.route,
                        dose_per_kg=item.dose_per_kg,
                        amount=item.total_amount,
                        dose_unit=item.product.dose_unit if item.product_id else "",
                        instructions=item.instructions,
                        day=dose.day,
                        number=dose.number,
                        of=dose.of,
                    ),
                    doctor,
                )
            )
    return sorted(written, key=lambda row: (row.day, row.pk))
