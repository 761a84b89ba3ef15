"""A DICOM Storage SCP on pynetdicom: C-ECHO, and C-STORE of the X-ray storage classes,
each instance handed whole to imaging (which reads, matches and keeps it).

The node belongs to one clinic: whatever calls it, what it receives is that clinic's.
Associations must call the node by its own AE title.
"""

import logging
from dataclasses import dataclass

from django.db import close_old_connections, connections
from pynetdicom import AE, ALL_TRANSFER_SYNTAXES, AllStoragePresentationContexts, evt
from pynetdicom.sop_class import Verification

from yachi.imaging import facade as imaging

logger = logging.getLogger(__name__)

SUCCESS = 0x0000
PROCESSING_FAILURE = 0x0110


@dataclass(frozen=True)
class NodeSettings:
    clinic: object
    ae_title: str
    host: str
    port: int


def _store(clinic):
    def handle(event):
        close_old_connections()
        sender = getattr(event.assoc.requestor, "ae_title", "") or ""
        try:
            data = event.encoded_dataset(include_meta=True)
        except Exception:
            logger.warning("DICOM instance from %s could not be encoded", sender)
            return imaging.Refused("not_dicom", "", 0xC000).status
        try:
            received = imaging.instance_receive(clinic=clinic, data=data, sent_by=sender)
        except imaging.Refused as refused:
            logger.info("DICOM instance from %s refused: %s", sender, refused.code)
            return refused.status
        except Exception:
            logger.exception("DICOM instance from %s could not be kept", sender)
            return PROCESSING_FAILURE
        logger.info(
            "DICOM instance %s from %s %s",
            received.image.public_id,
            sender,
            "kept" if received.created else "already kept",
        )
        return SUCCESS

    return handle


def _closed(event):
    # Each association runs in a thread of its own: its connection closes with it.
    connections.close_all()


def _echo(event):
    return SUCCESS


def application_entity(ae_title: str) -> AE:
    ae = AE(ae_title=ae_title)
    ae.require_called_aet = True
    ae.add_supported_context(Verification)
    for context in AllStoragePresentationContexts:
        ae.add_supported_context(context.abstract_syntax, ALL_TRANSFER_SYNTAXES)
    return ae


def node_start(config: NodeSettings, *, block: bool):
    """Listen for X-ray units; with ``block=False`` the server runs in a thread and is
    returned (``shutdown()`` stops it)."""
    ae = application_entity(config.ae_title)
    handlers = [
        (evt.EVT_C_ECHO, _echo),
        (evt.EVT_C_STORE, _store(config.clinic)),
        (evt.EVT_CONN_CLOSE, _closed),
    ]
    return ae.start_server((config.host, config.port), block=block, evt_handlers=handlers)
