"""Share links: plain addresses of each network's share page; no scripts, no pixels."""

from urllib.parse import quote, urlencode


def _query(params: dict[str, str]) -> str:
    return urlencode(params, quote_via=quote)


def share_links(url: str, headline: str) -> list[tuple[str, str]]:
    return [
        ("Facebook", "https://www.facebook.com/sharer/sharer.php?" + _query({"u": url})),
        (
            "LinkedIn",
            "https://www.linkedin.com/shareArticle?" + _query({"mini": "true", "url": url, "title": headline}),
        ),
        ("Twitter", "https://twitter.com/intent/tweet?" + _query({"url": url, "text": headline})),
    ]
