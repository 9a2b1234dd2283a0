"""All rules, registered on import. One module per step or family; see base.py for the pattern."""
from . import (appearance, basic, certificates, department, documents, education, files,  # noqa: F401
               identity, photo, proofs, title, work)  # (registers)
from .base import REGISTRY, Rule

__all__ = ["REGISTRY", "Rule"]
