"""Configuration: deployment ``Settings`` from the environment and the ``Collaboration`` file.

The collaboration file describes one municipality's agreement with its local police area; the
packaged default (``DEFAULT_CONFIG_PATH``) is the Älmhult–LPO Ljungby agreement 2025–2026.
"""

from .collaboration import Collaboration, Deadline, FocusArea, Forum, Member, Party, SchoolBreak
from .errors import ConfigError, ConfigProblem
from .loader import check_file, load_collaboration
from .settings import DEFAULT_CONFIG_PATH, Settings

__all__ = [
    "DEFAULT_CONFIG_PATH",
    "Collaboration",
    "ConfigError",
    "ConfigProblem",
    "Deadline",
    "FocusArea",
    "Forum",
    "Member",
    "Party",
    "SchoolBreak",
    "Settings",
    "check_file",
    "load_collaboration",
]
