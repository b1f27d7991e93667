"""The judgement: pure functions of their inputs and a policy object (no I/O, no clock reads)."""

from .assess import assess
from .model import Policy, PolicyError, load_policy
from .routing import NEEDS, choose

__all__ = ["NEEDS", "Policy", "PolicyError", "assess", "choose", "load_policy"]
