"""`dateline ingest --watch` killed with SIGKILL at random moments, then run again: nothing lost, nothing twice.

And two watchers started on one drop folder at once: one works, the other says why it stopped.
"""

from __future__ import annotations

import json
import os
import random
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import dateline_command, dateline_env
from tests.wire.test_newsmlg2 import item

pytestmark = pytest.mark.slow

ITEMS = int(os.environ.get("DATELINE_CRASH_ITEMS", "200"))
KILLS = int(os.environ.get("DATELINE_CRASH_KILLS", "8"))
# Each kill waits for the watcher to finish between 1 and STEP more files, then kills it at once:
# KILLS * STEP < ITEMS, so every kill lands mid-batch however fast or slow the machine is.
STEP = max(1, min(15, (ITEMS - 1) // KILLS))
BOUND = 300  # seconds: a bound for a wait on something the test can see, never a guess of how long it takes

CHECK = """
import json
from dateline.news.models import ArticlePage
pages = {}
for page in ArticlePage.objects.filter(source_guid__startswith="urn:test:crash:"):
    revision = page.latest_revision
    pages.setdefault(page.source_guid, []).append({
        "live": page.live, "paragraphs": sum(1 for block in page.body if block.block_type == "paragraph"),
        "title": page.title, "revision_live": revision is not None and revision.pk == page.live_revision_id,
    })
print(json.dumps(pages))
"""


def generated_batch(folder: Path, count: int) -> None:
    for n in range(count):
        body = "".join(
            f"<p>{'BRUSSELS (Reuters) - ' if p == 0 else ''}Paragraph {p} of generated story {n}.</p>" for p in range(4)
        )
        data = item(body=body, guid=f"urn:test:crash:{n}").replace(
            b"NATO set to approve Patriots for Turkey", f"Generated story number {n}".encode()
        )
        (folder / f"story-{n:03d}.xml").write_bytes(data)


def watcher(home: Path, drop: Path) -> subprocess.Popen:
    env = dateline_env(home)
    return subprocess.Popen(
        [sys.executable, "-m", "dateline.cli", "ingest", "--watch", str(drop), "--interval", "0.2"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def waiting(drop: Path) -> list[Path]:
    return [path for path in drop.iterdir() if path.is_file() and path.suffix == ".xml"]


def done_count(drop: Path) -> int:
    return len(list((drop / "done").glob("*.xml"))) if (drop / "done").exists() else 0


def wait_until(condition: Callable[[], bool], what: str, process: subprocess.Popen | None = None) -> None:
    """Poll CONDITION until it holds; fail after BOUND seconds, or at once if PROCESS died."""
    deadline = time.monotonic() + BOUND
    while not condition():
        if process is not None and process.poll() is not None:
            _, err = process.communicate()
            pytest.fail(f"the watcher stopped (exit {process.returncode}) before {what}: {err[-2000:]}")
        if time.monotonic() > deadline:
            pytest.fail(f"not within {BOUND} s: {what}")
        time.sleep(0.005)


def test_kill_9_at_random_moments_then_a_rerun_imports_every_story_once(site_home, tmp_path):
    drop = tmp_path / "drop"
    drop.mkdir()
    generated_batch(drop, ITEMS)
    seed = int(os.environ.get("DATELINE_CRASH_SEED", time.time_ns() % 100_000))
    rng = random.Random(seed)
    done_at_kill = []
    for _ in range(KILLS):
        process = watcher(site_home, drop)
        target = done_count(drop) + rng.randint(1, STEP)
        # Wait for what can be seen (files reaching done/), then kill after a random 0-50 ms, so that the
        # kill falls at a different point of the next file's work each time (reading, saving, moving).
        wait_until(lambda target=target: done_count(drop) >= target, f"{target} files done", process)
        spin_until = time.monotonic() + rng.uniform(0, 0.05)
        while time.monotonic() < spin_until:
            pass
        process.kill()  # SIGKILL: no handler runs, no file is closed tidily
        process.wait()
        done_at_kill.append(done_count(drop))
    mid_batch = [done for done in done_at_kill if 0 < done < ITEMS]
    assert len(mid_batch) == KILLS, f"a kill landed outside the batch (seed {seed}): {done_at_kill}"

    final = watcher(site_home, drop)
    wait_until(lambda: not waiting(drop) and done_count(drop) == ITEMS, "every file done", final)
    final.terminate()
    _, err = final.communicate(timeout=BOUND)
    assert not waiting(drop), f"files left in the drop folder (seed {seed}): {waiting(drop)}\n{err[-2000:]}"

    # No file lost: every one is in done/, none failed, none twice.
    done = sorted(path.name for path in (drop / "done").glob("*.xml"))
    assert done == [f"story-{n:03d}.xml" for n in range(ITEMS)], f"seed {seed}"
    assert not list((drop / "failed").glob("*.xml")), f"seed {seed}"
    # Every story exactly once, whole: live, all its paragraphs, its live revision the latest.
    checked = dateline_command(site_home, "shell", "-c", CHECK)
    assert checked.returncode == 0, checked.stderr[-2000:]
    pages = json.loads(checked.stdout.strip().splitlines()[-1])
    assert sorted(pages) == sorted(f"urn:test:crash:{n}" for n in range(ITEMS)), f"seed {seed}"
    for guid, copies in pages.items():
        assert len(copies) == 1, f"{guid} was imported {len(copies)} times (seed {seed})"
        page = copies[0]
        assert page["live"] and page["paragraphs"] == 4 and page["revision_live"], (guid, page, seed)
    with sqlite3.connect(site_home / "dateline.sqlite3") as database:
        assert database.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    print(f"seed {seed}: killed at {done_at_kill} of {ITEMS} files done")


def test_two_watchers_on_one_folder_never_import_a_file_twice(site_home, tmp_path):
    drop = tmp_path / "drop"
    drop.mkdir()
    generated_batch(drop, 20)
    first, second = watcher(site_home, drop), watcher(site_home, drop)

    # The one that finds the folder taken stops; on a busy machine it may start after the other has
    # done all 20 files (it was once still starting when they were done, and was stopped unheard).
    def settled() -> bool:
        return done_count(drop) == 20 and (first.poll() is not None or second.poll() is not None)

    wait_until(settled, "all 20 files done and one watcher stopped")
    outputs = []
    for process in (first, second):
        if process.poll() is None:
            process.terminate()
        outputs.append(process.communicate(timeout=60))
    refused = [err for _, err in outputs if "is already being watched by dateline ingest (pid" in err]
    assert len(refused) == 1, outputs  # one of them saw the other's lock and stopped, saying so
    assert sorted(p.name for p in (drop / "done").glob("*.xml")) == [f"story-{n:03d}.xml" for n in range(20)]
    checked = dateline_command(site_home, "shell", "-c", CHECK)
    pages = json.loads(checked.stdout.strip().splitlines()[-1])
    assert len(pages) == 20 and all(len(copies) == 1 for copies in pages.values())
