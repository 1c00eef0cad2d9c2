"""Draws the site's icons (a white "D" on the masthead's navy) into news/static/news/img/.

    .venv/bin/python scripts/make_icons.py

favicon.ico (16, 32 and 48 px), apple-touch-icon.png (180 px) and favicon.svg. Drawn from shapes,
so no font or third-party artwork is involved; run again only to change the design."""

import sys
from pathlib import Path

from PIL import Image, ImageDraw

NAVY, WHITE = (19, 41, 75), (255, 255, 255)  # site.css: --band
OUT = Path(__file__).resolve().parents[1] / "src/dateline/news/static/news/img"


def draw(size: int) -> Image.Image:
    scale = 4  # drawn large, then reduced: smooth edges
    big = size * scale
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    pen.rounded_rectangle((0, 0, big - 1, big - 1), radius=big // 6, fill=NAVY)
    left, top, right, bottom = big * 0.28, big * 0.2, big * 0.76, big * 0.8
    stroke = big * 0.12
    pen.rectangle((left, top, left + stroke, bottom), fill=WHITE)  # the D's stem
    pen.pieslice((left - (right - left), top, right, bottom), -90, 90, fill=WHITE)  # its bowl
    inner = (left - (right - left) + stroke, top + stroke, right - stroke, bottom - stroke)
    pen.pieslice(inner, -90, 90, fill=NAVY)
    pen.rectangle((left - (right - left), top, left, bottom), fill=(0, 0, 0, 0))
    pen.rectangle((left, top, left + stroke, bottom), fill=WHITE)
    flat = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    flat.alpha_composite(image)
    return flat.resize((size, size), Image.LANCZOS)


SVG = """<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100">
<rect width="100" height="100" rx="16" fill="#13294b"/>
<path d="M28 20h10v60H28z M38 20a38 30 0 0 1 0 60v-12a26 18 0 0 0 0-36z" fill="#fff"/>
</svg>
"""

if __name__ == "__main__":
    draw(48).save(OUT / "favicon.ico", sizes=[(16, 16), (32, 32), (48, 48)])
    touch = Image.new("RGB", (180, 180), NAVY)
    touch.paste(draw(180), (0, 0), draw(180))
    touch.save(OUT / "apple-touch-icon.png")
    (OUT / "favicon.svg").write_text(SVG)
    sys.stdout.write(f"icons written to {OUT}\n")
