"""What each removal rule is, in a phrase, for readers of `explain` and `report` who never saw
the code: the named rules' own docs, the stages' rules, and the rules a run's config added."""

from __future__ import annotations

from prep.clean import boilerplate, headlines
from prep.clean.chrome import model
from prep.clean.rules import CATALOGUE

STAGES = {
    boilerplate.RULE: "a line the site repeats on many of its pages (its template)",
    headlines.RULE: "the headline of another story, standing between the article's paragraphs",
    model.RULE: "chrome recognised by the line classifier, which no named rule describes",
    "max_text_chars": "cut: the text went past limits.max_text_chars",
}


def rule_docs(config: dict) -> dict[str, str]:
    """Rule name to description, for the run whose config (as in its manifest) is given."""
    docs = {rule.name: rule.doc for rule in CATALOGUE} | STAGES
    for name, override in config.get("clean", {}).get("rules", {}).items():
        if name not in docs and override.get("pattern"):
            docs[name] = f"rule from the config: {override['pattern']}"
    return docs
