"""The distribution tests' small published site, for the news pages' tests too."""

from tests.feeds.conftest import site  # noqa: F401  (the fixture)
