"""The wire desk in Wagtail's admin: a "Wire" menu item with a filterable, searchable, paged listing of
incoming agency items (Wagtail's ModelViewSet and design system), and the ingest rules beside it.

Items are read-only here: they change only through the desk's actions (``views.py``) and the page
editor. Editors without the desk permission see the listing read-only."""

from __future__ import annotations

import django_filters
from django.core.cache import cache
from django.db.models import Count
from django.middleware.csrf import get_token
from django.urls import path
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn, StatusTagColumn
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup

from . import views
from .models import IngestRule, WireItem


class HeadlineColumn(Column):
    cell_template_name = "wire/desk/headline_cell.html"


class SelectColumn(Column):
    """A checkbox a row, bound to the bulk-action form outside the table by its form attribute."""

    cell_template_name = "wire/desk/select_cell.html"


class ActionsColumn(Column):
    cell_template_name = "wire/desk/actions_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        request = parent_context.get("request")
        context["can_act"] = request is not None and request.user.has_perm(views.DESK_PERMISSION)
        context["next"] = request.get_full_path() if request is not None else ""
        # Cells are rendered from a plain dict, not a RequestContext: the forms need the token given.
        context["csrf_token"] = get_token(request) if request is not None else ""
        return context


class DeskFilterSet(WagtailFilterSet):
    """The desk's filters: each field an item is listed with, a subject code by part, and a time range."""

    subjects = django_filters.CharFilter(lookup_expr="icontains", label="Subject code contains")
    received_at = django_filters.DateFromToRangeFilter(label="Received", widget=DateRangePickerWidget)

    class Meta:
        model = WireItem
        fields = ["status", "agency", "urgency", "section", "subjects", "language", "rule", "version", "received_at"]


class DeskIndexView(IndexView):
    """Newest first; urgent items not yet seen stand at the top; spiked and discarded items only when asked."""

    template_name = "wire/desk/index.html"
    page_title = "Wire"

    def get_base_queryset(self):
        queryset = super().get_base_queryset().select_related("page")
        if not self.request.GET.get("status"):
            # Spiked, discarded and killed items leave the queue (kills stand in the banner until acknowledged).
            hidden = [WireItem.Status.SPIKED, WireItem.Status.DISCARDED, WireItem.Status.KILLED]
            queryset = queryset.exclude(status__in=hidden)
        return queryset

    def order_queryset(self, queryset):
        if self.ordering and self.ordering not in ("-received_at", "received_at"):
            return super().order_queryset(queryset)
        # desk_rank is 0 for an urgent item nobody has acted on (kept by WireItem.save): one index read.
        return queryset.order_by("desk_rank", "-received_at", "-id")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["kills"] = WireItem.objects.filter(kill_acknowledged=False).select_related("page")
        context["agency_counts"] = waiting_by_agency()
        context["can_act"] = self.request.user.has_perm(views.DESK_PERMISSION)
        return context


def waiting_by_agency() -> list[tuple[str, int]]:
    """Items waiting on the desk, per agency (the dozen with most). Counted at most every few seconds:
    with a backlog of 100,000 items the count is the desk's costliest query."""
    counts = cache.get(AGENCY_COUNTS_KEY)
    if counts is None:
        waiting = [WireItem.Status.NEW, WireItem.Status.HELD, WireItem.Status.UPDATED]
        counts = list(
            WireItem.objects.filter(status__in=waiting)
            .values_list("agency")
            .annotate(count=Count("pk"))
            .order_by("-count", "agency")[:12]
        )
        cache.set(AGENCY_COUNTS_KEY, counts, timeout=AGENCY_COUNTS_SECONDS)
    return counts


AGENCY_COUNTS_KEY = "dateline:wire-desk:agency-counts"
AGENCY_COUNTS_SECONDS = 5


class WireDeskViewSet(ModelViewSet):
    model = WireItem
    icon = "doc-full-inverse"
    menu_label = "Wire desk"
    url_prefix = "wire"
    name = "wire_desk"
    index_view_class = DeskIndexView
    index_template_name = "wire/desk/index.html"
    list_per_page = 30
    copy_view_enabled = False
    inspect_view_enabled = False
    search_fields = ["headline", "body_text", "agency", "guid"]
    filterset_class = DeskFilterSet
    list_display = [
        SelectColumn("select", label="Select"),
        HeadlineColumn("headline", label="Headline"),
        Column("agency", label="Agency", sort_key="agency"),
        Column("urgency", label="Urgency", sort_key="urgency"),
        Column("section", label="Section"),
        Column("subjects", label="Subjects"),
        Column("language", label="Lang."),
        Column("version", label="Ver."),
        StatusTagColumn("status", label="Status", accessor="get_status_display", primary=lambda item: item.urgent),
        Column("rule", label="Rule"),
        DateColumn("received_at", label="Received", sort_key="received_at"),
        ActionsColumn("actions", label="Actions"),
    ]

    def get_index_view_kwargs(self, **kwargs):
        # No "add" button and no edit form: items come from the wire, stories are edited in the page editor.
        return super().get_index_view_kwargs(add_url_name=None, edit_url_name=None, **kwargs)

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("<int:pk>/publish/", views.publish, name="publish"),
            path("<int:pk>/spike/", views.spike, name="spike"),
            path("<int:pk>/restore/", views.restore, name="restore"),
            path("<int:pk>/acknowledge/", views.acknowledge, name="acknowledge"),
            path("<int:pk>/update/", views.update, name="update"),
            path("bulk/", views.bulk, name="bulk"),
        ]


class IngestRuleViewSet(ModelViewSet):
    model = IngestRule
    icon = "cogs"
    menu_label = "Ingest rules"
    url_prefix = "wire/rules"
    name = "wire_rules"
    sort_order_field = "sort_order"
    form_fields = [
        "name",
        "enabled",
        "action",
        "agencies",
        "urgency_at_most",
        "subjects",
        "sections",
        "languages",
        "statuses",
        "words",
    ]
    list_display = ["name", "action", "agencies", "urgency_at_most", "subjects", "sections", "words", "enabled"]
    copy_view_enabled = False


class WireViewSetGroup(ModelViewSetGroup):
    menu_label = "Wire"
    menu_icon = "doc-full-inverse"
    menu_order = 150
    items = (WireDeskViewSet, IngestRuleViewSet)
