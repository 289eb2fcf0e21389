"""The JSON API under /api/v1: Bearer-token authentication, JSON errors, and the OpenAPI
document that every package adds its operations to (see `forum.api.openapi`); and the
webhooks that push a forum's events to partners' programs."""
BLUEPRINTS = ["forum.api.partners", "forum.api.webhooks_manage"]
