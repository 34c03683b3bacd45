"""Writes of the directory: actors and members (actors.py), where actors are (location.py),
the competence taxonomy and publics (taxonomy.py)."""

from .actors import *  # noqa: F403
from .location import *  # noqa: F403
from .taxonomy import *  # noqa: F403
