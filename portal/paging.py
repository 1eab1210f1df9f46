from django.core.paginator import Paginator


def paged(items, per_page, query):
    """(the page of `items` that `query` asks for, `query` without its page
    number, URL-encoded, for the pager's links to carry the filters)."""
    page = Paginator(items, per_page).get_page(query.get("page"))
    filters = query.copy()
    filters.pop("page", None)
    return page, filters.urlencode()
