"""What each removal rule is, in a phrase, for readers of `explain` and `report` who never saw
the code: the named rules' own docs, the stages that remove lines under their own name, and the
rules a run's config added."""

from __future__ import annotations

from prep.clean import REMOVAL_STAGES
from prep.clean.catalogue import CATALOGUE


def rule_docs(config: dict) -> dict[str, str]:
    """Rule name to description, for the run whose config (as in its manifest) is given."""
    docs = {rule.name: rule.doc for rule in CATALOGUE} | REMOVAL_STAGES
    for name, override in config.get("clean", {}).get("rules", {}).items():
        if name not in docs and override.get("pattern"):
            docs[name] = f"rule from the config: {override['pattern']}"
    return docs
