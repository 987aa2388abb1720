"""Lists a page at a time: the one way every staff screen and API list is paginated.

A screen shows `PAGE_SIZE` rows of a list and the shared partial `_pages.html` links to
the pages around it (keeping the screen's filters); an API list answers `limit` rows from
`offset`, with the total `count`. Both keep a stable order: a list ordered by a column
that ties (a due date, a name) is ordered by the primary key after it, so a row is never
shown on two pages nor on none.
"""

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination

# Rows a screen shows at once: a ward's day fits; a clinic's year is paged.
PAGE_SIZE = 50
# Rows an API client may ask for at once, and what it gets when it does not say.
API_DEFAULT_LIMIT = 100
API_MAX_LIMIT = 500


def in_stable_order(rows: QuerySet) -> QuerySet:
    """Return the rows ordered as asked, then by primary key, so pages never overlap."""
    ordering = list(rows.query.order_by) or list(rows.model._meta.ordering)
    keys = {"pk", "-pk", "id", "-id", rows.model._meta.pk.name, f"-{rows.model._meta.pk.name}"}
    if any(isinstance(key, str) and key in keys for key in ordering):
        return rows
    return rows.order_by(*ordering, "pk")


def page_of(request, rows, *, size: int | None = None, param: str = "page") -> Page:
    """Return the page of `rows` the request asks for (`?page=`); the last one past the end.

    A page that is not a number is the first one. `param` names the page of a second list on
    the same screen (e.g. `upcoming_page`).
    """
    if isinstance(rows, QuerySet):
        rows = in_stable_order(rows)
    page = Paginator(rows, size or PAGE_SIZE).get_page(request.GET.get(param))
    # The links of _pages.html: the same screen and filters, another page.
    page.previous_link = _link(request, param, page.has_previous() and page.number - 1)
    page.next_link = _link(request, param, page.has_next() and page.number + 1)
    return page


def _link(request, param: str, number) -> str:
    if not number:
        return ""
    query = request.GET.copy()
    query[param] = number
    return f"?{query.urlencode()}"


class Rows:
    """A queryset read as rows of a screen or API (e.g. an item with its days overdue).

    Paginated like the queryset itself: counted in SQL and only the page's slice is read and
    turned into rows, so a list of 100,000 items costs one page.
    """

    def __init__(self, queryset: QuerySet, to_row):
        self.queryset = in_stable_order(queryset)
        self.to_row = to_row

    def all(self) -> "Rows":
        return self

    def count(self) -> int:
        return self.queryset.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self.to_row(record) for record in self.queryset[index]]
        return self.to_row(self.queryset[index])


class ClinicPagination(LimitOffsetPagination):
    """`limit` rows from `offset` of every API list, in a stable order; answers `{items, count}`."""

    class Input(Schema):
        limit: int = Field(
            API_DEFAULT_LIMIT, ge=1, description=f"Rows to answer, at most {API_MAX_LIMIT}"
        )
        offset: int = Field(0, ge=0, description="Rows to skip from the start of the list")

    def __init__(self, **kwargs):
        super().__init__(max_limit=API_MAX_LIMIT, **kwargs)

    def paginate_queryset(self, queryset, pagination, request=None, **params):
        if isinstance(queryset, QuerySet):
            queryset = in_stable_order(queryset)
        return super().paginate_queryset(queryset, pagination, request, **params)
