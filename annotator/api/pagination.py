from rest_framework import pagination


class PageNumberPagination(pagination.PageNumberPagination):
    """SPEC's pages: {count, next, previous, results}, ?page= and ?page_size= (at most 1000)."""

    page_size_query_param = "page_size"
    max_page_size = 1000
