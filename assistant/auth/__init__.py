"""Accounts, roles and bearer tokens (no web framework here: the CLI and the API both use it)."""
