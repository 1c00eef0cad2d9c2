"""Wire ingest throughput: generated NewsML-G2 items into SQLite, normal and --bulk, and the parse-only rate.

    .venv/bin/python bench/ingest.py [N ...]        (make bench-ingest; default N = 1000 10000)

For each N: writes N newsItems (a few paragraphs and subjects each) to a temporary folder, times
parsing them all in this process (no database), then times `dateline ingest FOLDER` and
`dateline ingest --bulk FOLDER`, each in a process of its own against a fresh copy of a migrated
SQLite database with the demo's sections, and reads each process's peak memory (its maximum
resident set, from wait4). Prints a table and the ratio of the largest N's time to the
smallest's (linear growth gives N_large / N_small).
"""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATELINE = [sys.executable, "-m", "dateline.cli"]
WORDS = (
    "council harbour minister budget talks river bridge court ruling market shares vote "
    "coalition border trade summit envoy rally season match coach storm harvest grid port "
    "ferry museum treaty reform inquiry tariff pension clinic vaccine satellite"
).split()
SUBJECTS = [
    ("medtop:04000000", "economy, business and finance"),
    ("medtop:11000000", "politics"),
    ("medtop:13000000", "science and technology"),
    ("medtop:15000000", "sport"),
    ("medtop:16000000", "conflict, war and peace"),
]
CITIES = ["PORT ADLEY", "OSTREL", "KARVIK", "MIRAMAR", "LOWEN"]


def sentence(rng: random.Random, words: int = 14) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def news_item(n: int, rng: random.Random) -> str:
    code, name = SUBJECTS[n % len(SUBJECTS)]
    paragraphs = "".join(f"<p>{' '.join(sentence(rng) for _ in range(3))}</p>" for _ in range(5))
    city = CITIES[n % len(CITIES)]
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="urn:dateline:bench:{n}" version="1"
  standard="NewsML-G2" standardversion="2.35">
  <itemMeta><itemClass qcode="ninat:text"/><provider qcode="nprov:DATELINE"><name>Dateline Wire</name></provider>
    <versionCreated>2026-11-{1 + n % 27:02d}T{n % 24:02d}:{n % 60:02d}:00Z</versionCreated><pubStatus qcode="stat:usable"/></itemMeta>
  <contentMeta><located><name>{city.title()}</name></located><creator><name>Reporter {n % 40}</name></creator>
    <subject qcode="{code}"><name>{name}</name></subject><subject qcode="medtop:20000000"><name>topic {n % 50}</name></subject>
    <slugline>BENCH-{n}</slugline><headline>Bench story {n}: {sentence(rng, 7)[:-1]}</headline></contentMeta>
  <contentSet><inlineXML contenttype="application/xhtml+xml"><html xmlns="http://www.w3.org/1999/xhtml"><body>
    {paragraphs}</body></html></inlineXML></contentSet>
</newsItem>"""


def generate(folder: Path, count: int) -> None:
    rng = random.Random(count)
    for n in range(count):
        (folder / f"item-{n:06d}.xml").write_text(news_item(n, rng), encoding="utf-8")


def run(home: Path, *args: str) -> tuple[str, float, int]:
    """`dateline ARGS` in a process of its own: (its last line of output, seconds, peak RSS in bytes)."""
    env = {
        **os.environ,
        "DATELINE_HOME": str(home),
        "DJANGO_SETTINGS_MODULE": "dateline.settings.dev",
        "DATELINE_DEBUG": "false",
        "DATELINE_LOG_LEVEL": "WARNING",
        "DATELINE_INGEST_DEFAULT": "publish",  # the benchmark measures stories going live
    }
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        process = subprocess.Popen([*DATELINE, *args], env=env, stdout=out, stderr=err, cwd=ROOT)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(errors="replace"), err.read().decode(errors="replace")
    if process.returncode:
        sys.exit(f"dateline {' '.join(args)} failed:\n{stdout[-2000:]}\n{stderr[-2000:]}")
    lines = stdout.strip().splitlines()
    return (lines[-1] if lines else ""), seconds, usage.ru_maxrss * 1024


def parse_rate(folder: Path) -> float:
    sys.path.insert(0, str(ROOT / "src"))
    from dateline.wire.parsers import newsmlg2

    files = sorted(folder.iterdir())
    started = time.perf_counter()
    for path in files:
        newsmlg2.parse_items(path.read_bytes())
    return len(files) / (time.perf_counter() - started)


def main(counts: list[int]) -> None:
    work = Path(tempfile.mkdtemp(prefix="dateline-bench-ingest-"))
    try:
        template = work / "template"
        run(template, "migrate", "--no-input", "-v", "0")
        run(template, "load-demo")  # the sections (and 13 demo stories) a real site starts with
        rows = []
        for count in counts:
            items = work / f"items-{count}"
            items.mkdir()
            generate(items, count)
            parsed = parse_rate(items)
            row = [count, parsed]
            for mode in ((), ("--bulk",)):
                home = work / f"home-{count}{'-'.join(mode)}"
                home.mkdir()
                shutil.copy(template / "dateline.sqlite3", home / "dateline.sqlite3")
                summary, seconds, rss = run(home, "ingest", *mode, str(items), "-v", "0")
                if f"ingested {count}," not in summary:
                    sys.exit(f"expected {count} new stories ({' '.join(mode) or 'normal'}): {summary}")
                row += [seconds, count / seconds, rss / 2**20]
                shutil.rmtree(home)
            rows.append(row)
            shutil.rmtree(items)
        print(
            f"{'items':>8} {'parse-only/s':>13} {'ingest s':>9} {'items/s':>8} {'RSS MB':>7}"
            f" {'bulk s':>8} {'bulk/s':>8} {'RSS MB':>7}"
        )
        for count, parsed, seconds, rate, rss, b_seconds, b_rate, b_rss in rows:
            print(
                f"{count:>8} {parsed:>13.0f} {seconds:>9.1f} {rate:>8.1f} {rss:>7.0f}"
                f" {b_seconds:>8.1f} {b_rate:>8.1f} {b_rss:>7.0f}"
            )
        if len(rows) > 1:
            small, large = rows[0], rows[-1]
            print(
                f"time ratio {large[0]}/{small[0]} items: {large[2] / small[2]:.2f} normal, "
                f"{large[5] / small[5]:.2f} bulk (linear: {large[0] / small[0]:.0f})"
            )
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main([int(arg) for arg in sys.argv[1:]] or [1000, 10000])
