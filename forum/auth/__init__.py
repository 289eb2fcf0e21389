"""Users, roles, login, API tokens and the one access decorator every route declares."""
