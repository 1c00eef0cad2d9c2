"""Pictures for the demo stories, drawn with Pillow (no photographs are shipped).

``picture(name)`` draws a scene that fits the story named (a bakery's shop front, a city block, a
night sky, a running track, a coast, a harbour, a bridge), so no two demo stories show the same
picture; ``landscape(seed)`` is the plain sky-hills-water scene the others start from."""

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


def _jpeg(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=82)
    return out.getvalue()


def _sky(draw: ImageDraw.ImageDraw, top, bottom, height: int) -> None:
    for y in range(height):
        t = y / max(1, height)
        draw.line([(0, y), (WIDTH, y)], fill=tuple(int(a + (b - a) * t) for a, b in zip(top, bottom, strict=True)))


def _city(rng: random.Random) -> Image.Image:
    image = Image.new("RGB", (WIDTH, HEIGHT))
    draw = ImageDraw.Draw(image)
    _sky(draw, (250, 170, 120), (120, 90, 150), HEIGHT)
    x = 0
    while x < WIDTH:
        w, h = rng.randint(70, 160), rng.randint(200, 560)
        shade = rng.randint(40, 90)
        draw.rectangle([x, HEIGHT - h, x + w, HEIGHT], fill=(shade, shade, shade + 25))
        for wy in range(HEIGHT - h + 20, HEIGHT - 20, 34):
            for wx in range(x + 12, x + w - 18, 26):
                if rng.random() < 0.45:
                    draw.rectangle([wx, wy, wx + 12, wy + 18], fill=(255, 220, 130))
        x += w + rng.randint(4, 20)
    draw.rectangle([0, HEIGHT - 90, WIDTH, HEIGHT], fill=(70, 70, 72))  # the street
    for lx in range(0, WIDTH, 120):
        draw.rectangle([lx, HEIGHT - 48, lx + 60, HEIGHT - 42], fill=(235, 235, 235))
    return image


def _bakery(rng: random.Random) -> Image.Image:
    image = Image.new("RGB", (WIDTH, HEIGHT), (205, 120, 80))
    draw = ImageDraw.Draw(image)
    for y in range(0, HEIGHT, 40):  # brick courses
        offset = 0 if (y // 40) % 2 else 60
        for x in range(-60 + offset, WIDTH, 120):
            draw.rectangle([x + 3, y + 3, x + 117, y + 37], fill=(180 + rng.randint(-15, 15), 95, 65))
    draw.rectangle([150, 260, 1050, 760], fill=(60, 40, 30))  # the shop front
    draw.rectangle([190, 300, 690, 700], fill=(255, 236, 190))  # a lit window
    draw.rectangle([760, 330, 1010, 760], fill=(120, 70, 40))  # the door
    draw.polygon([(130, 260), (1070, 260), (1010, 170), (190, 170)], fill=(30, 110, 90))  # awning
    for n in range(9):  # loaves in the window
        cx, cy = 240 + (n % 3) * 150, 380 + (n // 3) * 110
        draw.ellipse([cx - 55, cy - 30, cx + 55, cy + 30], fill=(196, 140, 70), outline=(140, 90, 40), width=4)
    return image


def _night_sky(rng: random.Random) -> Image.Image:
    image = Image.new("RGB", (WIDTH, HEIGHT))
    draw = ImageDraw.Draw(image)
    _sky(draw, (8, 12, 40), (40, 50, 95), HEIGHT)
    for _ in range(420):
        x, y, r = rng.randint(0, WIDTH), rng.randint(0, HEIGHT - 200), rng.choice((1, 1, 2, 3))
        draw.ellipse([x - r, y - r, x + r, y + r], fill=(255, 255, 235))
    draw.line([(260, 150), (520, 330)], fill=(200, 235, 255), width=6)  # the comet and its tail
    draw.ellipse([500, 312, 540, 352], fill=(235, 250, 255))
    draw.rectangle([0, HEIGHT - 170, WIDTH, HEIGHT], fill=(20, 30, 25))
    draw.pieslice([760, HEIGHT - 330, 1000, HEIGHT - 90], 180, 360, fill=(215, 215, 220))  # observatory dome
    draw.rectangle([760, HEIGHT - 210, 1000, HEIGHT - 120], fill=(190, 190, 198))
    return image


def _track(rng: random.Random) -> Image.Image:
    image = Image.new("RGB", (WIDTH, HEIGHT))
    draw = ImageDraw.Draw(image)
    _sky(draw, (120, 180, 240), (200, 225, 250), 300)
    draw.rectangle([0, 230, WIDTH, 300], fill=(90, 90, 100))  # the stand
    draw.rectangle([0, 300, WIDTH, HEIGHT], fill=(190, 70, 55))  # the track
    for lane in range(7):
        y = 330 + lane * 70
        draw.line([(0, y), (WIDTH, y + 40)], fill=(250, 250, 250), width=5)
    for n in range(4):  # runners, as simple figures
        x, y = 300 + n * 190 + rng.randint(-20, 20), 420 + n * 70
        colour = [(30, 60, 160), (240, 200, 40), (20, 130, 70), (250, 250, 250)][n]
        draw.ellipse([x - 18, y - 120, x + 18, y - 84], fill=(120, 80, 60))
        draw.rectangle([x - 20, y - 84, x + 20, y - 20], fill=colour)
        draw.line([(x - 10, y - 20), (x - 40, y + 40)], fill=(120, 80, 60), width=12)
        draw.line([(x + 10, y - 20), (x + 45, y + 30)], fill=(120, 80, 60), width=12)
    return image


def _harbour(rng: random.Random) -> Image.Image:
    image = Image.new("RGB", (WIDTH, HEIGHT))
    draw = ImageDraw.Draw(image)
    _sky(draw, (150, 190, 225), (225, 230, 235), 420)
    draw.rectangle([0, 420, WIDTH, HEIGHT], fill=(35, 85, 120))
    for y in range(440, HEIGHT, 22):
        draw.line([(0, y), (WIDTH, y)], fill=(55, 110, 150), width=3)
    draw.rectangle([0, 380, 420, 440], fill=(110, 100, 90))  # the quay
    for n in range(4):  # cranes
        x = 60 + n * 90
        draw.line([(x, 380), (x, 180)], fill=(230, 120, 30), width=10)
        draw.line([(x, 190), (x + 120, 190)], fill=(230, 120, 30), width=8)
    for n in range(3):  # ships
        x, y = 500 + n * 230, 500 + n * 60
        draw.polygon([(x, y), (x + 200, y), (x + 170, y + 50), (x + 30, y + 50)], fill=(150, 30, 30))
        draw.rectangle([x + 60, y - 50, x + 130, y], fill=(240, 240, 240))
    return image


def _bridge(rng: random.Random) -> Image.Image:
    image = Image.new("RGB", (WIDTH, HEIGHT))
    draw = ImageDraw.Draw(image)
    _sky(draw, (120, 170, 210), (230, 210, 180), 520)
    draw.rectangle([0, 520, WIDTH, HEIGHT], fill=(60, 100, 90))
    draw.rectangle([0, 330, WIDTH, 370], fill=(150, 140, 125))  # the deck
    for n in range(5):  # arches and piers
        x = n * 260 + 20
        draw.arc([x, 360, x + 260, 700], 180, 360, fill=(150, 140, 125), width=26)
        draw.rectangle([x - 10, 360, x + 14, 560], fill=(135, 125, 110))
    for n in range(8):  # cars on the deck
        x = 40 + n * 150 + rng.randint(0, 40)
        draw.rectangle([x, 305, x + 70, 332], fill=rng.choice([(200, 40, 40), (40, 70, 160), (230, 230, 230)]))
    return image


def _coast(rng: random.Random) -> Image.Image:
    image = Image.new("RGB", (WIDTH, HEIGHT))
    draw = ImageDraw.Draw(image)
    _sky(draw, (110, 160, 210), (215, 225, 230), 380)
    draw.rectangle([0, 380, WIDTH, HEIGHT], fill=(40, 110, 140))
    cliff = [(0, 300)] + [(x, 300 + rng.randint(-30, 30)) for x in range(100, 760, 80)] + [(720, HEIGHT), (0, HEIGHT)]
    draw.polygon(cliff, fill=(175, 150, 110))
    draw.polygon([(0, 300), (740, 300), (740, 330), (0, 340)], fill=(90, 140, 70))  # grass on the cliff top
    for n in range(5):  # houses near the edge
        x = 80 + n * 130
        draw.rectangle([x, 240, x + 80, 300], fill=(235, 230, 220))
        draw.polygon([(x - 8, 240), (x + 88, 240), (x + 40, 200)], fill=(150, 60, 50))
    for y in range(420, HEIGHT, 30):
        draw.arc([760, y, 1200, y + 40], 180, 360, fill=(220, 240, 245), width=3)
    return image


SCENES = {
    "bakery": _bakery,
    "car-parks": _city,
    "comet": _night_sky,
    "marathon": _track,
    "harbour": _harbour,
    "bridge": _bridge,
    "coast": _coast,
}


def picture(name: str) -> bytes:
    """A scene for the story named ``name`` (its file's name), or a landscape when none fits."""
    rng = random.Random(hashlib.sha256(name.encode()).digest())
    for word, scene in SCENES.items():
        if word in name:
            return _jpeg(scene(rng))
    return landscape(name)
