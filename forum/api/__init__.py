"""The JSON API under /api/v1: Bearer-token authentication, JSON errors, and the OpenAPI
document that every package adds its operations to (see `forum.api.openapi`)."""
BLUEPRINTS = ["forum.api.routes"]
