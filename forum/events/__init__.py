"""Forums (one event each), their areas, and the public forum pages."""
