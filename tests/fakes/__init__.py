"""Local fake servers for the external services Yachi talks to.

Each is a real HTTP server on 127.0.0.1 speaking the service's protocol, so that the
real SDK or client is tested end to end, request signing included. Each fake checks
signatures with its own implementation of the provider's documented algorithm, never
with code from the SDK under test.
"""
