"""The app icons, drawn by the project itself (no binary of unknown origin in the repository).

A white document with a check mark on the state's blue. The maskable variant keeps the drawing inside
the central safe zone (a circle of 80 % of the size) so that launchers can crop it to any shape.
"""
from __future__ import annotations

import io

from PIL import Image, ImageDraw

BLUE = (0, 0, 145)
WHITE = (255, 255, 255)
SUPERSAMPLE = 4


def _draw(size: int, *, maskable: bool) -> bytes:
    big = size * SUPERSAMPLE
    image = Image.new("RGB", (big, big), BLUE)
    draw = ImageDraw.Draw(image)
    scale = 0.56 if maskable else 0.72  # the drawing's share of the icon
    width, height = big * scale * 0.78, big * scale
    left, top = (big - width) / 2, (big - height) / 2
    corner = big * 0.04
    draw.rounded_rectangle([left, top, left + width, top + height], radius=corner, fill=WHITE)
    line = big * 0.035
    for i in range(3):  # lines of text
        y = top + height * (0.2 + i * 0.14)
        draw.rounded_rectangle([left + width * 0.16, y, left + width * (0.84 if i < 2 else 0.6), y + line],
                               radius=line / 2, fill=BLUE)
    check = [(left + width * 0.22, top + height * 0.7), (left + width * 0.42, top + height * 0.86),
             (left + width * 0.8, top + height * 0.56)]
    draw.line(check, fill=(24, 117, 60), width=int(big * 0.06), joint="curve")
    image = image.resize((size, size), Image.LANCZOS).quantize(colors=32)
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def _badge(size: int) -> bytes:
    """The small monochrome badge of the status bar: the document shape, white on transparent."""
    big = size * SUPERSAMPLE
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    left, top, width, height = big * 0.22, big * 0.12, big * 0.56, big * 0.76
    draw.rounded_rectangle([left, top, left + width, top + height], radius=big * 0.06, fill=(255, 255, 255, 255))
    check = [(left + width * 0.2, top + height * 0.55), (left + width * 0.42, top + height * 0.75),
             (left + width * 0.82, top + height * 0.3)]
    draw.line(check, fill=(0, 0, 0, 0), width=int(big * 0.09), joint="curve")
    buffer = io.BytesIO()
    image.resize((size, size), Image.LANCZOS).save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


ICONS = {
    "icons/icon-192.png": lambda: _draw(192, maskable=False),
    "icons/icon-512.png": lambda: _draw(512, maskable=False),
    "icons/maskable-512.png": lambda: _draw(512, maskable=True),
    "icons/apple-touch-icon.png": lambda: _draw(180, maskable=True),
    "icons/badge-96.png": lambda: _badge(96),
}
