"""What every page needs to know: whether it shows synthetic demo data, and the user's role."""

from django.conf import settings

from celltrace.web.navigation import links_for


def clinic(request):
    return {"demo_mode": settings.DEMO, "nav_links": links_for(request.user)}
