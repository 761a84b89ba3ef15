"""A local Orthanc for the tests: Debian's ``orthanc`` with its DICOMweb plugin
(``make dicom-packages``), in a temporary directory with a configuration of its own — its
ports, its storage, HTTP Basic authentication with a password made for the run."""

import contextlib
import json
import os
import secrets
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from conftest import unused_port

ORTHANC = shutil.which("Orthanc") or next(
    (p for p in ("/usr/sbin/Orthanc", "/usr/bin/Orthanc") if os.access(p, os.X_OK)), None
)
PLUGIN_DIRS = ("/usr/share/orthanc/plugins", "/usr/lib/orthanc/plugins")
PLUGIN = next(
    (
        str(Path(d) / "libOrthancDicomWeb.so")
        for d in PLUGIN_DIRS
        if (Path(d) / "libOrthancDicomWeb.so").exists()
    ),
    None,
)
MISSING = (
    None
    if ORTHANC and PLUGIN
    else "Orthanc with its DICOMweb plugin is not installed "
    "(make dicom-packages installs Debian's orthanc and orthanc-dicomweb)"
)


@dataclass
class Orthanc:
    http_port: int
    dicom_port: int
    user: str
    password: str

    @property
    def rest(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    @property
    def dicomweb_url(self) -> str:
        return f"http://{self.user}:{self.password}@127.0.0.1:{self.http_port}/dicom-web"

    def get(self, path: str) -> httpx.Response:
        return httpx.get(self.rest + path, auth=(self.user, self.password), timeout=10)


def _port(variable: str) -> int:
    raw = os.environ.get(variable)
    return int(raw) if raw else unused_port()


@contextlib.contextmanager
def orthanc_running(directory: Path):
    server = Orthanc(
        http_port=_port("YACHI_TEST_ORTHANC_HTTP_PORT"),
        dicom_port=_port("YACHI_TEST_ORTHANC_DICOM_PORT"),
        user="yachi",
        password=secrets.token_urlsafe(12),
    )
    storage = directory / "storage"
    configuration = directory / "orthanc.json"
    configuration.write_text(
        json.dumps(
            {
                "Name": "YACHI_TEST_PACS",
                "StorageDirectory": str(storage),
                "IndexDirectory": str(storage),
                "HttpPort": server.http_port,
                "DicomPort": server.dicom_port,
                "DicomAet": "YACHI_PACS",
                "RemoteAccessAllowed": False,
                "AuthenticationEnabled": True,
                "RegisteredUsers": {server.user: server.password},
                "Plugins": [PLUGIN],
                "DicomWeb": {"Enable": True, "Root": "/dicom-web/"},
                "HttpDescribeErrors": True,
            }
        )
    )
    log = (directory / "orthanc.log").open("w")
    process = subprocess.Popen([ORTHANC, str(configuration)], stdout=log, stderr=log)  # noqa: S603
    try:
        deadline = time.monotonic() + 20
        while True:
            with contextlib.suppress(httpx.HTTPError):
                if server.get("/system").status_code == 200:
                    break
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(
                    "Orthanc did not start: " + (directory / "orthanc.log").read_text()[-2000:]
                )
            time.sleep(0.1)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
