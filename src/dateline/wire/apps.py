from django.apps import AppConfig


class WireConfig(AppConfig):
    name = "dateline.wire"
    label = "wire"
    verbose_name = "Wire ingest"
