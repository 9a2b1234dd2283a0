"""All rules, registered on import. One module per step or family; see base.py for the pattern."""
from . import appearance, basic, department, education, files, identity, photo, title, work  # noqa: F401  (registers)
from .base import REGISTRY, Rule

__all__ = ["REGISTRY", "Rule"]
