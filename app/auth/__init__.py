"""Users, organisations, roles and permission checks (domain code, no Flask)."""
