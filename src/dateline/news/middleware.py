"""Marks an answer that is a page of a list read with ``?page=`` (section, topic, author, tag).

The page cache stores a ``?page=N`` address only with this mark (publishing/pagecache.py), so the
same query on any other address (a story, /world/?page=2 past the list's end) is never a copy.
"""

PAGED_HEADER = "X-Dateline-Paged"


class PagedLists:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(request, "dateline_paged", False) and response.status_code == 200:
            response[PAGED_HEADER] = "1"
        return response
