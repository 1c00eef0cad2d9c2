"""dateline nginx-config: an nginx server block for a publish-static folder, the rest proxied to the app."""

from pathlib import Path

from django.core.management.base import BaseCommand

from dateline.publishing.nginx import config


class Command(BaseCommand):
    help = (
        "Print an nginx configuration that serves a publish-static folder and sends the dynamic routes "
        "(email form, search, admin, API, and anything not published) to the app server."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dir", type=Path, default=Path("var/public"), help="the publish-static folder")
        parser.add_argument("--app", default="127.0.0.1:8000", help="the app server's address (dateline serve)")
        parser.add_argument("--listen", default="80")
        parser.add_argument("--server-name", default="_")
        parser.add_argument(
            "--standalone",
            action="store_true",
            help="a whole nginx.conf (daemon off, files beside DIR) instead of a server block",
        )

    def handle(self, dir, app, listen, server_name, standalone, **options):
        self.stdout.write(config(dir, app, listen=listen, server_name=server_name, standalone=standalone), ending="")
