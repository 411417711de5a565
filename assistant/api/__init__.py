"""The HTTP layer: FastAPI routes over the same core the CLI uses (no domain logic here)."""
