"""Streamlit web UI of the assistant (talks to the API over HTTP only; see ui/client.py)."""
