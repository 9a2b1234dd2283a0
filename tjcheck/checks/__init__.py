"""All rules, registered on import. One module per step or family; see base.py for the pattern."""
from . import (appearance, basic, department, documents, education, files, identity, photo, title,  # noqa: F401
               work)  # (registers)
from .base import REGISTRY, Rule

__all__ = ["REGISTRY", "Rule"]
