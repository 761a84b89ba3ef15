import json

from django.test import Client

from yachi.accounts.services import token_issue


class ApiClient:
    """Django's test client speaking JSON to /api/v1 with a bearer token."""

    def __init__(self):
        self.client = Client()
        self.token = None

    def as_user(self, user) -> "ApiClient":
        self.token = token_issue(user=user, label="test")
        return self

    def _headers(self, headers):
        merged = dict(headers or {})
        if self.token:
            merged.setdefault("Authorization", f"Bearer {self.token}")
        return merged

    def get(self, path, params=None, headers=None):
        return self.client.get(f"/api/v1{path}", params or {}, headers=self._headers(headers))

    def post(self, path, body=None, headers=None):
        data = json.dumps(body) if body is not None else ""
        return self.client.post(
            f"/api/v1{path}",
            data,
            content_type="application/json",
            headers=self._headers(headers),
        )

    def put(self, path, body=None, headers=None):
        return self.client.put(
            f"/api/v1{path}",
            json.dumps(body),
            content_type="application/json",
            headers=self._headers(headers),
        )

    def delete(self, path, headers=None):
        return self.client.delete(f"/api/v1{path}", headers=self._headers(headers))
