"""The news app's models, one module a concern: images, snippets, pages."""

from .fronts import FrontPick  # noqa: F401
from .identity import SiteIdentity  # noqa: F401
from .images import NewsImage, NewsRendition  # noqa: F401
from .live import LiveUpdate  # noqa: F401
from .pages import ArticleAuthor, ArticleCorrection, ArticlePage, ArticlePageTag, HomePage, SectionPage  # noqa: F401
from .snippets import Agency, Author  # noqa: F401
