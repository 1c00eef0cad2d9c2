"""Several `dateline ingest` processes at once, on the same story: still one page."""

import subprocess
import sys

from tests.conftest import dateline_command, dateline_env
from tests.wire.test_newsmlg2 import item


def test_processes_ingesting_the_same_guid_at_once_make_one_page(site_home, tmp_path):
    files = []
    for n in range(4):  # four copies of one story, under four names, as two feeds might deliver it
        path = tmp_path / f"copy-{n}.xml"
        path.write_bytes(item(guid="urn:test:race"))
        files.append(path)
    env = dateline_env(site_home)
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "dateline.cli", "ingest", str(path)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for path in files
    ]
    outputs = [process.communicate(timeout=120) for process in processes]
    assert [process.returncode for process in processes] == [0, 0, 0, 0], outputs
    summaries = [out.strip().splitlines()[-1] for out, _ in outputs]
    assert sum("ingested 1" in line for line in summaries) == 1, summaries
    assert sum("ignored 1" in line for line in summaries) == 3, summaries

    count = dateline_command(
        site_home,
        "shell",
        "-c",
        "from dateline.news.models import ArticlePage; "
        "print(ArticlePage.objects.filter(source_guid='urn:test:race').count())",
    )
    assert count.stdout.strip().splitlines()[-1] == "1", count.stderr
