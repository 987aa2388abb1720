"""What every page needs to know: whether it shows synthetic demo data, and the user's role."""

from django.conf import settings


def clinic(request):
    return {"demo_mode": settings.DEMO}
