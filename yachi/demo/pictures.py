"""Pictures of the demo's care products, drawn with Pillow.

Plain illustrations — a drawn shape of the kind of product on a coloured card, with its
name — so that the demo mall looks like a mall without pretending to show photographs
of real branded products.
"""

import io
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from yachi.shop.choices import Category

SIZE = 900
# Fonts that hold Chinese characters, where the machine has one; without, the card
# carries the shape and the English name only.
FONTS = [
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/noto/NotoSansCJK-Regular.ttc",
]
COLOURS = {
    Category.TOOTHBRUSH: ((214, 240, 234), (11, 143, 122)),
    Category.BRUSH_HEADS: ((226, 236, 252), (37, 99, 235)),
    Category.FLOSS: ((238, 233, 250), (109, 40, 217)),
    Category.MOUTHWASH: ((222, 242, 250), (3, 105, 161)),
    Category.WHITENING: ((252, 243, 222), (180, 83, 9)),
    Category.CHILDREN: ((253, 230, 236), (219, 39, 119)),
    Category.TREATMENT: ((236, 240, 243), (71, 85, 105)),
}


def _font(size: int):
    for path in FONTS:
        if Path(path).exists():
            return ImageFont.truetype(path, size), True
    return ImageFont.load_default(size), False


def _toothbrush(draw, ink, accent):
    # A handle at a slant with a head of bristles.
    draw.rounded_rectangle((400, 150, 500, 620), radius=50, fill=ink)
    draw.rounded_rectangle((415, 90, 485, 200), radius=30, fill=ink)
    for x in range(420, 485, 16):
        draw.rounded_rectangle((x, 40, x + 10, 110), radius=4, fill=accent)
    draw.ellipse((430, 330, 470, 370), fill=accent)


def _brush_heads(draw, ink, accent):
    for offset in (-150, 0, 150):
        x = 450 + offset
        draw.rounded_rectangle((x - 40, 220, x + 40, 580), radius=30, fill=ink)
        for bx in range(x - 30, x + 30, 14):
            draw.rounded_rectangle((bx, 150, bx + 9, 230), radius=4, fill=accent)


def _floss(draw, ink, accent):
    draw.rounded_rectangle((300, 220, 600, 560), radius=60, fill=ink)
    draw.ellipse((400, 300, 500, 400), fill=accent)
    draw.line((450, 350, 700, 120), fill=accent, width=8)


def _bottle(draw, ink, accent):
    draw.rounded_rectangle((410, 80, 490, 170), radius=14, fill=accent)
    draw.rounded_rectangle((330, 160, 570, 600), radius=70, fill=ink)
    draw.rounded_rectangle((370, 300, 530, 450), radius=20, fill=(255, 255, 255))
    draw.ellipse((420, 345, 480, 405), fill=accent)


def _tube(draw, ink, accent):
    draw.polygon([(330, 560), (570, 560), (530, 160), (370, 160)], fill=ink)
    draw.rectangle((320, 540, 580, 600), fill=accent)
    draw.rounded_rectangle((410, 90, 490, 165), radius=12, fill=accent)
    draw.rounded_rectangle((395, 300, 505, 420), radius=18, fill=(255, 255, 255))


def _box(draw, ink, accent):
    draw.rounded_rectangle((260, 180, 640, 580), radius=36, fill=ink)
    draw.rounded_rectangle((300, 240, 600, 300), radius=14, fill=accent)
    draw.ellipse((390, 350, 510, 470), outline=(255, 255, 255), width=14)


SHAPES = {
    Category.TOOTHBRUSH: _toothbrush,
    Category.BRUSH_HEADS: _brush_heads,
    Category.FLOSS: _floss,
    Category.MOUTHWASH: _bottle,
    Category.WHITENING: _box,
    Category.CHILDREN: _tube,
    Category.TREATMENT: _box,
    "tube": _tube,
}


def product_picture(*, name: str, name_en: str, category: str, shape: str | None = None) -> bytes:
    """A PNG card: the product's kind drawn large, its name underneath."""
    background, ink = COLOURS.get(category, COLOURS[Category.TREATMENT])
    accent = tuple(min(255, c + 90) for c in ink)
    image = Image.new("RGB", (SIZE, SIZE), background)
    draw = ImageDraw.Draw(image)
    SHAPES.get(shape or category, _box)(draw, ink, accent)
    font, chinese = _font(64)
    small, _ = _font(36)
    title = name if chinese else name_en
    width = draw.textlength(title, font=font)
    draw.text(((SIZE - width) / 2, 680), title, font=font, fill=ink)
    if chinese and name_en:
        width = draw.textlength(name_en, font=small)
        draw.text(((SIZE - width) / 2, 775), name_en, font=small, fill=(100, 116, 139))
    output = io.BytesIO()
    image.save(output, format="PNG")
    return output.getvalue()
