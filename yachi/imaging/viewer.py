"""What a page with the X-ray viewer needs: the import map that lets dwv find the
libraries it imports by name, the policy's hash of that one inline script, and the
images to choose from in each pane."""

import base64
import hashlib
import json
from zoneinfo import ZoneInfo

from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone

SYNTHETIC_MARK = "synthetic"


def import_map() -> str:
    return json.dumps(
        {
            "imports": {
                "dwv": static("vendor/dwv/dwv.min.js"),
                "konva": static("imaging/lib/konva.js"),
                "jszip": static("imaging/lib/jszip.js"),
                "magic-wand-tool": static("imaging/lib/magic-wand-tool.js"),
            }
        },
        separators=(",", ":"),
    )


def with_viewer(response, importmap: str):
    """Allow the page's import map, and only it, by its hash (the policy has no inline
    script otherwise)."""
    digest = base64.b64encode(hashlib.sha256(importmap.encode()).digest()).decode()
    response.csp_extra = {"script-src": [f"'sha256-{digest}'"]}
    return response


def choices(studies, *, image_route: str) -> list[dict]:
    """Every image of these studies, newest study first, as the panes list them."""
    found = []
    for study in studies:
        taken = timezone.localtime(study.taken_at, ZoneInfo(study.clinic.timezone))
        images = list(study.images.all())
        for number, image in enumerate(images, start=1):
            found.append(
                {
                    "url": reverse(image_route, args=[image.public_id]),
                    "study": study.public_id,
                    "label": f"{taken:%Y-%m-%d %H:%M} · {study.get_modality_display()}"
                    + (f" · {number}/{len(images)}" if len(images) > 1 else ""),
                }
            )
    return found


def panes(studies, *, image_route: str) -> dict:
    """The viewer's choices and what each pane opens with: the newest image on the left,
    the first image of the study before it on the right (a comparison of two dates)."""
    options = choices(studies, image_route=image_route)
    left = options[0]["url"] if options else ""
    right = next((o["url"] for o in options if o["study"] != options[0]["study"]), left)
    return {
        "options": options,
        "left": left,
        "right": right,
        "synthetic": any(SYNTHETIC_MARK in study.description.lower() for study in studies),
    }
