from django.core.paginator import Page
from django.core.paginator import Paginator as DjangoPaginator
from rest_framework import pagination
from rest_framework.exceptions import ValidationError


class PageNumberPagination(pagination.PageNumberPagination):
    """SPEC's pages: {count, next, previous, results}, ?page= and ?page_size= (at most 1000).

    Page one is read as page_size + 1 rows first: when they fit, the count is their number and the
    database is not asked to count (most lists, such as a document's spans, fit on one page)."""

    page_size_query_param = "page_size"
    max_page_size = 1000

    def get_page_size(self, request):
        """?page_size= as the schema gives it: an integer from 1 to max_page_size, else 400 (DRF would quietly use
        its default for "abc" or 0 and cut 5000 down to the maximum)."""
        value = request.query_params.get(self.page_size_query_param)
        if value is None:
            return self.page_size
        if not (value.isascii() and value.isdigit() and 1 <= int(value) <= self.max_page_size):
            raise ValidationError({"page_size": [f"Give a whole number from 1 to {self.max_page_size}."]})
        return int(value)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] in (self.page_query_param, self.page_size_query_param):
                parameter["schema"]["minimum"] = 1
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"]["maximum"] = self.max_page_size
        return parameters

    def paginate_queryset(self, queryset, request, view=None):
        page_size = self.get_page_size(request)
        if not page_size or request.query_params.get(self.page_query_param, "1") != "1":
            return super().paginate_queryset(queryset, request, view)
        rows = list(queryset[: page_size + 1])
        paginator = DjangoPaginator(queryset, page_size)
        paginator.count = len(rows) if len(rows) <= page_size else queryset.count()
        self.request = request
        self.page = Page(rows[:page_size], 1, paginator)
        return self.page.object_list
