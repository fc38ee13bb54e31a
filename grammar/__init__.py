"""The policyc grammar, shipped as package data beside this module."""

from importlib.resources import files


def grammar_text() -> str:
    """The Lark grammar of the policy language."""
    return files(__name__).joinpath("policy.lark").read_text(encoding="utf-8")
