"""The wire desk with a big backlog: the listing, each filter and the search, timed at 100,000 items.

    python bench/desk.py [ITEMS] [REQUESTS]     # default 100000 items, 30 requests an address

Builds a data folder of its own (SQLite, or the database DATABASE_URL names, which it empties
first), adds ITEMS desk items from six agencies in bulk, signs in an editor of the Wire desk group,
and requests every address REQUESTS times through Django's test client after one warm-up request
(the whole admin view: permissions, filters, counting, paging, rendering; no HTTP server). Like a
server worker (dateline/wsgi.py), it settles the garbage collector once the app is loaded and warm
(every address requested once). Prints p50 and p95 a row as Markdown. Bounded: the request count is fixed.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import tempfile
import time
from datetime import timedelta

os.environ.setdefault("DATELINE_HOME", tempfile.mkdtemp(prefix="dateline-bench-desk-"))
os.environ["DJANGO_SETTINGS_MODULE"] = "dateline.settings.test"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

AGENCIES = ["Reuters", "AP", "AFP", "dpa", "ANSA", "EFE"]
SECTIONS = ["world", "business", "sport", "politics", "science"]
WORDS = "harbour council storm election market bridge minister talks rail strike court vote trade energy".split()
# Bodies draw from a vocabulary of 2,000 words besides those, so a common word is in a few percent of the
# items, as in agency copy (not in every one).
VOCABULARY = WORDS + [f"word{n}" for n in range(2000)]


def build(count: int) -> None:
    from dateline.wire.models import WireItem

    call_command("migrate", verbosity=0)
    WireItem.objects.all().delete()
    rng = random.Random(7)
    now = timezone.now()
    batch = []
    for n in range(count):
        words = rng.sample(WORDS, 4)
        rare = " Zanzibarian" if n == count // 2 else ""
        batch.append(
            WireItem(
                guid=f"urn:bench:{n}",
                status=rng.choice(["held", "held", "updated", "published", "new"]),
                rule="default",
                headline=f"{words[0].title()} {words[1]} {words[2]} after {words[3]} {n}",
                first_words=" ".join(words) * 3,
                body_text=(" ".join(rng.choice(VOCABULARY) for _ in range(60))) + rare,
                agency=rng.choice(AGENCIES),
                urgency=(urgency := rng.choice([1, 2, 3, 4, 4, 5, 5, 5, 6])),
                desk_rank=0 if urgency <= 2 else 1,  # as WireItem.save keeps it (bulk_create does not call it)
                section=rng.choice(SECTIONS),
                language="en",
                received_at=now - timedelta(seconds=n * 7),
            )
        )
        if len(batch) == 5000:
            WireItem.objects.bulk_create(batch)
            batch = []
    WireItem.objects.bulk_create(batch)


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    requests = int(sys.argv[2]) if len(sys.argv) > 2 else 30
    setup_test_environment()
    settings.ALLOWED_HOSTS = ["testserver"]
    started = time.perf_counter()
    build(count)
    built = time.perf_counter() - started
    from django.contrib.auth.models import Group, User

    user, _ = User.objects.get_or_create(username="bench-desk")
    user.groups.add(Group.objects.get(name="Wire desk"))
    client = Client()
    client.force_login(user)
    addresses = {
        "listing (newest first, urgent on top)": "/admin/wire/",
        "page 50 of the listing": "/admin/wire/?p=50",
        "filter: agency": "/admin/wire/?agency=AFP",
        "filter: status": "/admin/wire/?status=updated",
        "filter: urgency": "/admin/wire/?urgency=1",
        "filter: section": "/admin/wire/?section=sport",
        "filter: received since": f"/admin/wire/?received_at_from={(timezone.now() - timedelta(days=1)).date()}",
        "search: a common word": "/admin/wire/?q=harbour",
        "search: a rare name": "/admin/wire/?q=Zanzibarian",
    }
    for url in addresses.values():  # warm, as a worker is after its first requests
        assert client.get(url).status_code == 200, url
    from dateline.wsgi import settle

    settle()
    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    print(f"{count:,} desk items on {engine} (built in {built:.0f} s), {requests} requests an address\n")
    print("| address | p50 | p95 |")
    print("|---|---:|---:|")
    for name, url in addresses.items():
        times = []
        for _ in range(requests):
            t0 = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - t0) * 1000)
            assert response.status_code == 200
        times.sort()
        p95 = times[min(len(times) - 1, int(round(0.95 * len(times))) - 1)]
        print(f"| {name} | {statistics.median(times):.0f} ms | {p95:.0f} ms |")


if __name__ == "__main__":
    main()
