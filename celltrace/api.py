"""The HTTP API: one Ninja API, a router per stage of the program, an OpenAPI schema."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja import NinjaAPI, Swagger
from ninja.security import SessionAuth

from celltrace.accounts.access import STAFF, role_required
from celltrace.api_errors import document_errors
from celltrace.refusal import NotAllowed, Refused


class ClinicAPI(NinjaAPI):
    """The clinic's API: its schema names every error status each endpoint can answer."""

    def get_openapi_schema(self, **kwargs):
        return document_errors(super().get_openapi_schema(**kwargs))


api = ClinicAPI(
    title="celltrace API",
    version="1",
    description="The cell-therapy clinic's program: intake to outcomes. Every endpoint checks "
    "the caller's role and the record's site, and every write goes through the same actions "
    "as the web screens.",
    auth=SessionAuth(),
    urls_namespace="api",
    # The schema and its pages are for the clinic's staff: patients and visitors get none.
    docs_decorator=role_required(*STAFF),
    # Swagger UI would ask validator.swagger.io to check the schema: nothing leaves the clinic.
    docs=Swagger(settings={"validatorUrl": None}),
)


@api.exception_handler(Refused)
def refused(request, exc: Refused):
    return api.create_response(request, exc.as_dict(), status=422)


@api.exception_handler(NotAllowed)
def not_allowed(request, exc: NotAllowed):
    return api.create_response(request, exc.as_dict(), status=403)


@api.exception_handler(PermissionDenied)
def forbidden(request, exc):
    return api.create_response(request, {"detail": str(exc) or "Forbidden"}, status=403)


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"detail": str(exc) or "Not found"}, status=404)


def _add_routers():
    from celltrace.care.api import router as care
    from celltrace.cryostore.api import router as cryostore
    from celltrace.followup.api import router as followup
    from celltrace.intake.api import router as intake
    from celltrace.lab.api import router as lab
    from celltrace.outcomes.api import router as outcomes
    from celltrace.plans.api import router as plans
    from celltrace.screening.api import router as screening
    from celltrace.stays.api import router as stays

    api.add_router("/intake/", intake)
    api.add_router("/screening/", screening)
    api.add_router("/plans/", plans)
    api.add_router("/lab/", lab)
    api.add_router("/cryostore/", cryostore)
    api.add_router("/stays/", stays)
    api.add_router("/followup/", followup)
    api.add_router("/outcomes/", outcomes)
    api.add_router("/care/", care)


_add_routers()
