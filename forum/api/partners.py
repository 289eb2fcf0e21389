"""The /api/v1 blueprint with the partners' API on it: the modules below add their routes to
`forum.api.routes.bp` when imported, before the app registers it.

A partner's script that loops too fast is held back per token (per address without one):
API_RATE_LIMIT requests a minute (default 600), then 429 with Retry-After. The door's
check-in routes live on their own blueprint and are never held back."""
import hashlib

from flask import current_app, request
from flask_limiter.util import get_remote_address

from forum.api import agenda, arrivals, declared, forums, registration_changes, registrations, webhooks  # noqa: F401
from forum.api.routes import bp
from forum.extensions import limiter

DEFAULT_RATE_LIMIT = "600 per minute"


def _caller() -> str:
    header = request.headers.get("Authorization", "")
    if header:  # the token, hashed: no secret kept in the limiter's storage
        return "token:" + hashlib.sha256(header.encode()).hexdigest()[:32]
    return "address:" + get_remote_address()


limiter.limit(lambda: current_app.config.get("API_RATE_LIMIT", DEFAULT_RATE_LIMIT), key_func=_caller)(bp)
