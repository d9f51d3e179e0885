"""The peer: Mycroft's adapt-parser with keyword intents equivalent to taxobot's main ones.

Eight intents, the same vocabulary taxobot knows (every model, category and dimension name
and alias registered as an entity), the same questions. Adapt only finds the intent and its
entities (no typo tolerance, no dialogue, no answer text), so it is a lower bound on the
work taxobot does: a fair peer for "entities + intent", generous to adapt for the whole ask.
"""

from __future__ import annotations

from typing import Any

from adapt.engine import IntentDeterminationEngine
from adapt.intent import IntentBuilder

KEYWORDS: dict[str, list[str]] = {
    "ClassifyKeyword": ["type", "kind", "classify", "classified", "category", "sit", "place",
                        "categorise", "architecture", "training approach", "deployed", "scale"],
    "ExampleKeyword": ["examples", "example", "which models", "name some", "more"],
    "DescribeKeyword": ["what is", "describe", "mean", "explain", "what does"],
    "ListKeyword": ["dimensions", "categories", "how many categories", "list all"],
    "IsKeyword": ["is", "are"],
    "CompareKeyword": ["compare", "difference", "vs", "versus"],
    "FactKeyword": ["developed", "made", "released", "parameters", "licence", "license",
                    "modalities", "tell me about", "similar"],
    "SmalltalkKeyword": ["hello", "hi", "thanks", "bye", "who are you", "help"],
}

# adapt intent -> the taxobot intents it stands for (for the agreement column)
EQUIVALENT: dict[str, set[str]] = {
    "classify": {"classify_model", "model_dimension"},
    "examples": {"category_examples", "more_examples", "filter"},
    "describe": {"describe_category"},
    "list": {"list_dimensions", "list_categories", "list_all_categories", "taxonomy_size",
             "category_dimension"},
    "membership": {"membership", "choice"},
    "compare": {"compare"},
    "facts": {"model_developer", "model_release", "model_parameters", "model_license",
              "model_modality", "model_about", "similar_models"},
    "smalltalk": {"greet", "thanks", "identity", "help", "goodbye"},
}


def build(kb: Any) -> IntentDeterminationEngine:
    engine = IntentDeterminationEngine()
    for etype, words in KEYWORDS.items():
        for w in words:
            engine.register_entity(w, etype)
    for m in kb.models:
        for n in (m.name, *m.aliases):
            engine.register_entity(n.lower(), "Model")
    for c in kb.categories:
        for n in (c.name, c.short, *c.aliases):
            engine.register_entity(n.lower(), "Category")
    for d in kb.dimensions:
        for n in (d.name, *d.aliases):
            engine.register_entity(n.lower(), "Dimension")
    intents = [
        IntentBuilder("classify").require("ClassifyKeyword").require("Model").build(),
        IntentBuilder("examples").require("ExampleKeyword").require("Category").build(),
        IntentBuilder("describe").require("DescribeKeyword").require("Category").build(),
        IntentBuilder("list").require("ListKeyword").optionally("Dimension").build(),
        IntentBuilder("membership").require("IsKeyword").require("Model")
        .require("Category").build(),
        IntentBuilder("compare").require("CompareKeyword").require("Model").build(),
        IntentBuilder("facts").require("FactKeyword").require("Model").build(),
        IntentBuilder("smalltalk").require("SmalltalkKeyword").build(),
    ]
    for intent in intents:
        engine.register_intent_parser(intent)
    return engine


def parse(engine: IntentDeterminationEngine, text: str) -> str:
    """The best intent's name, or "" when no intent matches."""
    for result in engine.determine_intent(text.lower()):
        if result and result.get("confidence", 0) > 0:
            return str(result.get("intent_type", ""))
    return ""
