"""The reader's addresses under every article: /page/<n>/, /single/, /print/, /email/."""

from django.shortcuts import redirect
from wagtail.contrib.routable_page.models import RoutablePageMixin, path


class ArticleReaderRoutes(RoutablePageMixin):
    @path("", name="page_one")
    def page_one(self, request):
        from . import views

        return views.article_page(request, self, 1)

    @path("page/<int:number>/", name="numbered_page")
    def numbered_page(self, request, number):
        from . import views

        if number == 1:
            return redirect(self.url, permanent=True)
        return views.article_page(request, self, number)

    @path("single/", name="single")
    def single(self, request):
        from . import views

        return views.article_page(request, self, None)

    @path("print/", name="print")
    def print_view(self, request):
        from . import views

        return views.print_page(request, self)

    @path("email/", name="email")
    def email(self, request):
        from . import views

        return views.email_story(request, self)

    @path("email/sent/", name="email_sent")
    def email_sent(self, request):
        from . import views

        return views.email_sent(request, self)

    def page_url(self, number: int) -> str:
        return self.url if number == 1 else f"{self.url}page/{number}/"
