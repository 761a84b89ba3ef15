"""Browser libraries served from the npm packages that ``make install`` puts in
``node_modules`` (pinned in package.json and package-lock.json), never copied into the
repository: only the files named here, each under ``static/vendor/<package>/``."""

from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles.finders import BaseFinder
from django.core.checks import Warning as CheckWarning
from django.core.files.storage import FileSystemStorage

# package → (directory inside the package, files served from it)
PACKAGES = {
    "echarts": ("dist", ("echarts.min.js",)),
    # The X-ray viewer (yachi/imaging/static/imaging/viewer.js): dwv is an ES module that
    # imports konva, jszip and magic-wand-tool by name; the page's import map points those
    # names at small modules of ours that hand over the libraries' own builds.
    "dwv": (
        "dist",
        (
            "dwv.min.js",
            *(
                f"assets/workers/{name}.worker.min.js"
                for name in (
                    "jpegbaseline",
                    "jpegloss",
                    "jpeg2000",
                    "rle",
                    "resampling",
                    "labeling",
                )
            ),
        ),
    ),
    "konva": ("", ("konva.min.js",)),
    # The 3D scan and arch viewers (yachi/imaging/static/imaging/scans/): three.js's ES
    # module build and the add-ons they import, which import their own neighbours
    # relatively, so each is served at its place in the package.
    "three": (
        "",
        (
            "build/three.module.js",
            "build/three.core.js",
            "examples/jsm/controls/OrbitControls.js",
            "examples/jsm/loaders/GLTFLoader.js",
            "examples/jsm/utils/BufferGeometryUtils.js",
            "examples/jsm/utils/SkeletonUtils.js",
        ),
    ),
    "jszip": ("dist", ("jszip.min.js",)),
    "magic-wand-tool": ("dist", ("magic-wand.min.js",)),
}


def _directory(package: str) -> Path:
    return Path(settings.BASE_DIR) / "node_modules" / package / PACKAGES[package][0]


class BrowserPackagesFinder(BaseFinder):
    def check(self, **kwargs):
        return [
            CheckWarning(
                f"The browser package {package} is not installed (run `make install`): "
                "pages that use it show their figures without it.",
                id="yachi.W001",
            )
            for package in PACKAGES
            if not _directory(package).is_dir()
        ]

    def find(self, path, find_all=False, **kwargs):
        found = []
        for package, (_, files) in PACKAGES.items():
            for name in files:
                if path == f"vendor/{package}/{name}" and (_directory(package) / name).is_file():
                    found.append(str(_directory(package) / name))
        return found if find_all else (found[0] if found else [])

    def list(self, ignore_patterns):
        for package, (_, files) in PACKAGES.items():
            directory = _directory(package)
            if not directory.is_dir():
                continue
            storage = FileSystemStorage(location=str(directory))
            storage.prefix = f"vendor/{package}"
            for name in files:
                if (directory / name).is_file():
                    yield name, storage
