from django.core.paginator import Page
from django.core.paginator import Paginator as DjangoPaginator
from rest_framework import pagination


class PageNumberPagination(pagination.PageNumberPagination):
    """SPEC's pages: {count, next, previous, results}, ?page= and ?page_size= (at most 1000).

    Page one is read as page_size + 1 rows first: when they fit, the count is their number and the
    database is not asked to count (most lists, such as a document's spans, fit on one page)."""

    page_size_query_param = "page_size"
    max_page_size = 1000

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
