from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from celltrace.api import api
from celltrace.web import views as web

urlpatterns = [
    path("", web.home, name="home"),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/", include("celltrace.accounts.urls")),
    # The visitors' language switcher (Django's set_language); signed-in people choose on
    # their account page.
    path("i18n/", include("django.conf.urls.i18n")),
    path("dashboard/", web.dashboard, name="dashboard"),
    path("patients/", web.patient_list, name="patient_list"),
    path("patients/<int:pk>/", web.patient_detail, name="patient_detail"),
    path("intake/", include("celltrace.intake.urls")),
    path("screening/", include("celltrace.screening.urls")),
    path("plans/", include("celltrace.plans.urls")),
    path("lab/", include("celltrace.lab.urls")),
    path("cryostore/", include("celltrace.cryostore.urls")),
    path("stays/", include("celltrace.stays.urls")),
    path("followup/", include("celltrace.followup.urls")),
    path("portal/appointments/", include("celltrace.followup.portal_urls")),
    path("home-care/", include("celltrace.homecare.urls")),
    path("outcomes/", include("celltrace.outcomes.urls")),
    path("care/", include("celltrace.care.urls")),
    path("outbox/", include("celltrace.outbox.urls")),
    path("portal/questionnaires/", include("celltrace.questionnaires.urls")),
    path("portal/", include("celltrace.portal.urls")),
    path("results/", include("celltrace.outcomes.results_urls")),
    path("api/", api.urls),
    path("fhir/R4/", include("celltrace.fhir.urls")),
    path("fhir/import/", include("celltrace.fhir.screen_urls")),
    path("privacy/", include("celltrace.privacy.urls")),
    path("admin/", admin.site.urls),
]
