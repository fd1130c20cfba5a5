"""The collaboration an agreement describes, and the loader that reads and checks its TOML file.

The packaged default (``DEFAULT_CONFIG_PATH``) is the Älmhult–LPO Ljungby agreement 2025–2026.
"""

from .errors import ConfigError, ConfigProblem
from .loader import DEFAULT_CONFIG_PATH, check_file, load_collaboration
from .model import Collaboration, Deadline, FocusArea, Forum, Member, Party, SchoolBreak

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
    "check_file",
    "load_collaboration",
]
