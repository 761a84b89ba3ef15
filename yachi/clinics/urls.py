"""The clinics context's addresses: its part of the JSON API, which ``config.api`` mounts."""

from ninja import Router

from yachi.clinics import api

api_router = Router()
api_router.add_router("", api.router)
