"""People: organisations, the unit tree, users, roles, login and API tokens."""
