"""Illustrated portraits for the demo's doctors, drawn with Pillow: a plain silhouette in
a white coat on a coloured gradient. They are illustrations, stored as such
(``photo_is_illustration``), and the app marks them 示意图 wherever they are shown: the
demo's doctors are not real people, and no picture pretends they are."""

import io

from PIL import Image, ImageDraw, ImageFilter

SIZE = 480

# (top, bottom) of the background gradient, one pair per doctor in turn.
PALETTES = [
    ((11, 143, 122), (52, 195, 169)),
    ((37, 99, 235), (96, 165, 250)),
    ((124, 58, 237), (167, 139, 250)),
    ((194, 65, 12), (251, 146, 60)),
    ((190, 24, 93), (244, 114, 182)),
    ((14, 116, 144), (34, 211, 238)),
]


def _gradient(top, bottom) -> Image.Image:
    image = Image.new("RGB", (SIZE, SIZE))
    draw = ImageDraw.Draw(image)
    for y in range(SIZE):
        share = y / (SIZE - 1)
        draw.line(
            [(0, y), (SIZE, y)],
            fill=tuple(round(a + (b - a) * share) for a, b in zip(top, bottom, strict=True)),
        )
    return image


def illustrated_portrait(index: int, *, long_hair: bool = False) -> bytes:
    """A PNG portrait silhouette, the ``index``-th colour of the palette."""
    top, bottom = PALETTES[index % len(PALETTES)]
    image = _gradient(top, bottom)
    figure = Image.new("RGBA", (SIZE, SIZE), (0, 0, 0, 0))
    draw = ImageDraw.Draw(figure)
    skin = (247, 231, 214, 255)
    hair = (55, 48, 56, 255)
    coat = (255, 255, 255, 255)
    shirt = (*(round(c * 0.75) for c in top), 255)
    cx = SIZE // 2
    if long_hair:
        draw.rounded_rectangle([cx - 92, 110, cx + 92, 300], radius=80, fill=hair)
    # Shoulders in a white coat, a coloured shirt in the V of its collar.
    draw.ellipse([cx - 190, 330, cx + 190, 640], fill=coat)
    draw.polygon([(cx - 58, 336), (cx + 58, 336), (cx, 430)], fill=shirt)
    draw.polygon([(cx - 58, 336), (cx - 20, 336), (cx - 6, 420)], fill=(229, 231, 235, 255))
    draw.polygon([(cx + 58, 336), (cx + 20, 336), (cx + 6, 420)], fill=(229, 231, 235, 255))
    # Neck and head.
    draw.rounded_rectangle([cx - 34, 270, cx + 34, 350], radius=20, fill=skin)
    draw.ellipse([cx - 78, 120, cx + 78, 296], fill=skin)
    draw.chord([cx - 82, 104, cx + 82, 250], start=180, end=360, fill=hair)
    # A pocket and a pen: a doctor, not a person anyone could recognise.
    draw.rounded_rectangle([cx + 70, 470, cx + 130, 478], radius=3, fill=(209, 213, 219, 255))
    draw.rounded_rectangle([cx + 92, 446, cx + 100, 476], radius=3, fill=shirt)
    shadow = figure.split()[3].filter(ImageFilter.GaussianBlur(8))
    image.paste((0, 0, 0), (6, 10), Image.eval(shadow, lambda a: a // 5))
    image.paste(figure, (0, 0), figure)
    output = io.BytesIO()
    image.save(output, format="PNG", optimize=True)
    return output.getvalue()
