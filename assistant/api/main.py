"""ASGI entry for multi-worker servers: ``uvicorn assistant.api.main:app --workers N``."""

from assistant.api.app import create_app

app = create_app()
