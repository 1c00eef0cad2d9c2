"""Pictures for the demo stories, drawn with Pillow (no photographs are shipped)."""

import hashlib
import io
import random

from PIL import Image, ImageDraw

WIDTH, HEIGHT = 1200, 800


def landscape(seed: str) -> bytes:
    """A simple, deterministic landscape (sky, sun, hills, water) as JPEG bytes."""
    rng = random.Random(hashlib.sha256(seed.encode()).digest())
    image = Image.new("RGB", (WIDTH, HEIGHT))
    draw = ImageDraw.Draw(image)
    top = [rng.randint(40, 120), rng.randint(90, 160), rng.randint(170, 230)]
    bottom = [rng.randint(200, 250), rng.randint(170, 220), rng.randint(140, 200)]
    horizon = int(HEIGHT * rng.uniform(0.5, 0.65))
    for y in range(horizon):
        t = y / horizon
        draw.line([(0, y), (WIDTH, y)], fill=tuple(int(a + (b - a) * t) for a, b in zip(top, bottom)))
    sun_x, sun_y, r = rng.randint(150, WIDTH - 150), rng.randint(80, horizon - 120), rng.randint(40, 80)
    draw.ellipse([sun_x - r, sun_y - r, sun_x + r, sun_y + r], fill=(255, 236, 180))
    for layer in range(3):
        shade = 60 + layer * 35
        points = [(0, HEIGHT)]
        for x in range(0, WIDTH + 100, 100):
            points.append((x, horizon - rng.randint(10, 90) + layer * 40))
        points.append((WIDTH, HEIGHT))
        draw.polygon(points, fill=(shade // 2, shade, shade // 2 + 20))
    for y in range(horizon + 120, HEIGHT, 14):
        draw.line([(0, y), (WIDTH, y)], fill=(40, 80 + (y % 40), 130), width=6)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=82)
    return out.getvalue()
