"""Parse speed per format: items a second, detection and parsing only (no database), on the agency
fixtures in tests/fixtures/agencies/ (and the seed capture for plain text).

    python bench/parse.py [SECONDS]     # each format for SECONDS (default 3), one process, one core

Each fixture is parsed in a loop for the time given, after a one-second warm-up; the figure is
stories (or kill items) produced a second. Bounded in time; prints one Markdown table.
"""

from __future__ import annotations

import os
import platform
import sys
import time
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dateline.settings.test")

import django  # noqa: E402

django.setup()

from dateline.wire import parsers  # noqa: E402
from dateline.wire.story import WireStory  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
AGENCIES = ROOT / "tests" / "fixtures" / "agencies"
CASES = [
    ("newsml-g2", AGENCIES / "reuters-g2-story.xml"),
    ("newsml-g2 (3 languages)", AGENCIES / "stt-g2-three-languages.xml"),
    ("newsml-1.2", AGENCIES / "afp-newsml12.xml"),
    ("nitf", AGENCIES / "ap-nitf-dateline.xml"),
    ("ninjs", AGENCIES / "dpa-ninjs-header-block.json"),
    ("ninjs (envelope)", AGENCIES / "envelope-ninjs.json"),
    ("iptc7901", AGENCIES / "stt-iptc7901-latin1.txt"),
    ("anpa 1312", AGENCIES / "ap-anpa-1312.txt"),
    ("e-mail", AGENCIES / "emailed-copy.eml"),
    ("wxr", AGENCIES / "wordpress" / "export.xml"),
    ("text capture", ROOT.parent / "shared" / "seed" / "nato-russia-patriot.txt"),
]


def measure(path: Path, seconds: float) -> tuple[str, int, float]:
    data = path.read_bytes()
    fmt = parsers.detect(path, data)

    def once() -> int:
        found = parsers.parse(data, parsers.detect(path, data))
        return sum(1 for _, outcome in found if isinstance(outcome, WireStory))

    end = time.perf_counter() + 1.0
    while time.perf_counter() < end:
        once()
    items = runs = 0
    started = time.perf_counter()
    while (elapsed := time.perf_counter() - started) < seconds:
        items += once()
        runs += 1
    return fmt, len(data), items / elapsed


def main() -> None:
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 3.0
    print(f"Run on {time.strftime('%Y-%m-%d')} (Python {platform.python_version()}, {seconds:g} s a format)\n")
    print("| format | fixture | bytes | items/s |")
    print("|---|---|---:|---:|")
    for name, path in CASES:
        if not path.exists():
            print(f"| {name} | {path.name} | | missing |")
            continue
        fmt, size, rate = measure(path, seconds)
        print(f"| {name} | `{path.name}` ({fmt}) | {size:,} | {rate:,.0f} |")


if __name__ == "__main__":
    main()
