"""Term lists the whole package shares, each loaded once: places (with their hierarchy), and the rest as they move here."""
