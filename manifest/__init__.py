"""The Teams app package: template, icons, vendored schema and the builder (``samverkan manifest build``).

Deployment tooling used from a checkout; it is deliberately not in the wheel (see ``bot/cli.py``).
"""
