"""Intraoral scans and the 3D arch over the API (ADR 0062)."""

from datetime import date
from typing import Any
from uuid import UUID

from django.http import HttpResponse
from ninja import File, Form, Router, Schema, Status, UploadedFile
from pydantic import Field

from yachi.core.schemas import PublicOut, errors
from yachi.imaging.scans import access, arch_view, services

router = Router(tags=["imaging"])


class ScanOut(PublicOut):
    jaw: str = Field(description="upper or lower")
    taken_on: date
    description: str
    source_format: str = Field(description="stl, ply or obj: what the scanner exported")
    source_triangles: int
    triangles: int = Field(description="triangles of the GLB, decimated for phones")
    watertight: bool
    synthetic: bool = Field(description="a generated demo mesh, not a scan of anyone")
    size: int = Field(description="bytes of the GLB")
    clinic_id: UUID
    glb_url: str = Field(description="the GLB (model/gltf-binary), for the same bearer token")

    @staticmethod
    def resolve_clinic_id(obj):
        return obj.clinic.public_id

    @staticmethod
    def resolve_glb_url(obj):
        return f"/api/v1/scans/{obj.public_id}/glb"


class ArchOut(Schema):
    patient_id: UUID
    teeth: list[dict[str, Any]] = Field(
        description="present teeth on the arch: tooth (FDI), kind, jaw, shape, x, z (mm), "
        "yaw (radians), height, risk {score, level} and colour"
    )
    shapes: dict[str, dict[str, list[float]]] = Field(
        description="each shape's flat vertices (x, y, z in mm) and faces (index triples)"
    )
    legend: list[dict[str, Any]]
    staging: dict[str, Any] | None = Field(
        description="for an aligner plan with a recorded setup: stages and per stage each "
        "tooth's [x, y, z, yaw] in the order of teeth; an illustration, not a prediction"
    )
    note: str


@router.get("/patients/{patient_id}/scans", response={200: list[ScanOut], **errors(401, 404)})
def list_scans(request, patient_id: str):
    """A patient's intraoral scans, newest first: for the patient and their family's
    holder, and for staff of a clinic where the patient was seen (audited)."""
    _patient, scans = access.access_scans_of_patient(actor=request.user, patient_id=patient_id)
    return scans


@router.post(
    "/patients/{patient_id}/scans",
    response={201: ScanOut, **errors(400, 401, 403, 404, 413, 422)},
)
def upload_scan(
    request,
    patient_id: str,
    file: UploadedFile = File(...),
    jaw: str = Form(...),
    taken_on: str = Form(...),
    description: str = Form(""),
    clinic_id: str = Form(""),
):
    """Staff of a clinic where the patient was seen: upload a scanner export (STL binary
    or ASCII, PLY, OBJ) of one jaw. 422 `scan_not_a_mesh`, `scan_truncated`, `scan_empty`,
    `scan_unsupported_format`, `scan_too_many_triangles`; 413 `scan_too_large`."""
    patient, clinic = access.upload_access(
        actor=request.user, patient_id=patient_id, clinic_id=clinic_id or None
    )
    scan = services.scan_upload(
        actor=request.user,
        patient=patient,
        clinic=clinic,
        upload=file,
        jaw=jaw,
        taken_on=taken_on,
        description=description,
    )
    return Status(201, scan)


@router.get(
    "/scans/{scan_id}/glb",
    response={200: None, **errors(401, 404)},
    openapi_extra={
        "responses": {200: {"description": "the scan", "content": {"model/gltf-binary": {}}}}
    },
)
def download_scan(request, scan_id: str):
    """One scan as GLB; 404 `scan_not_found` for a scan the caller may not see."""
    return glb_response(access.access_scan_by_id(actor=request.user, scan_id=scan_id))


@router.get("/patients/{patient_id}/arch", response={200: ArchOut, **errors(401, 404)})
def arch(request, patient_id: str):
    """The 3D tooth-arch model of the chart (who may read the chart, audited for staff),
    coloured by caries risk, with the aligner staging when there is one."""
    return arch_view.arch_model(actor=request.user, patient_id=patient_id)


def glb_response(scan) -> HttpResponse:
    response = HttpResponse(services.scan_glb(scan), content_type="model/gltf-binary")
    response["Cache-Control"] = "private, no-store"
    response["Content-Disposition"] = f'inline; filename="{scan.public_id}.glb"'
    return response
