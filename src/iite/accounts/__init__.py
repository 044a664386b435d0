"""People, organisations, roles and API tokens."""
