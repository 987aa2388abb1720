# Each donor code a lot carried becomes a donor record of the lot's site, with no
# determination: its lots are in quarantine until a doctor or quality reviewer determines
# the donor's eligibility from the recorded tests (21 CFR 1271.85).

from django.db import migrations


def donors_from_codes(apps, schema_editor):
    Donor = apps.get_model("lab", "Donor")
    ProductLot = apps.get_model("lab", "ProductLot")
    lots = ProductLot.objects.exclude(donor_code="").filter(donor__isnull=True).order_by("made_at")
    for lot in lots:
        donor, _ = Donor.objects.get_or_create(
            site_id=lot.site_id,
            code=lot.donor_code,
            defaults={
                "recovered_on": lot.made_at.date(),
                "registered_by_id": lot.made_by_id,
                "registered_at": lot.made_at,
            },
        )
        lot.donor = donor
        lot.save(update_fields=["donor"])


class Migration(migrations.Migration):
    dependencies = [("lab", "0004_donors_and_recalls")]

    operations = [migrations.RunPython(donors_from_codes, migrations.RunPython.noop)]
