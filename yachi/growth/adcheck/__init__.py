"""The medical-advertising content check (ADR 0049): a pure function of a text and the
rules in ``rules.toml`` with their word lists in ``words/``. No Django here; the growth
context turns a verdict into a refusal (``yachi.growth.promotion``)."""

from yachi.growth.adcheck.checker import Hit, Rule, Verdict, check, check_all, normalise, rules

__all__ = ["Hit", "Rule", "Verdict", "check", "check_all", "normalise", "rules"]
