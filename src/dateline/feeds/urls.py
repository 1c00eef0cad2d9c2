"""Addresses of feeds, sitemaps, robots.txt and the content API (mounted at the site root)."""

from django.urls import path, re_path

from . import api, views

FORMAT = r"(?P<fmt>rss|atom|json)"

urlpatterns = [
    re_path(rf"^feeds/{FORMAT}/$", views.feed, name="feed"),
    re_path(rf"^feeds/(?P<kind>section|author|tag|topic)/(?P<slug>[-\w]+)/{FORMAT}/$", views.feed, name="feed"),
    re_path(rf"^feeds/live/(?P<page_id>[1-9][0-9]{{0,17}})/{FORMAT}/$", views.live_feed, name="live-feed"),
    path("sitemap.xml", views.sitemap_index, name="sitemap-index"),
    path("sitemap-news.xml", views.news_sitemap, name="sitemap-news"),
    re_path(r"^sitemap-(?P<section>pages|authors|articles-\d{4}-\d{2})\.xml$", views.sitemap_section, name="sitemap"),
    path("robots.txt", views.robots_txt, name="robots-txt"),
    path("api/ninjs/items/", api.item_list, name="ninjs-items"),
    path("api/ninjs/items/<path:uri>", api.item_detail, name="ninjs-item"),
]
