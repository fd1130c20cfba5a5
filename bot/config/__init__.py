"""The deployment's ``Settings``, from the environment and an optional ``.env`` file."""

from .settings import Settings

__all__ = ["Settings"]
