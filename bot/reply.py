"""What the bot returns: a frozen Reply, JSON-serialisable, with a trace of how it understood."""

from __future__ import annotations

from typing import Any

from .resolution import Entity
from .values import value


@value
class Trace:
    """How a message was understood, in the manner of Rasa's ``shell nlu``."""

    normalised: str = ""
    slot_text: str = ""
    ranking: tuple[tuple[str, float], ...] = ()
    entities: tuple[Entity, ...] = ()
    unknown: tuple[str, ...] = ()
    context_slots: tuple[tuple[str, str], ...] = ()
    decision: str = ""
    query: str = ""  # the Query, rendered, when the question composed one
    error: str = ""
    """Set when a stage raised and the engine answered with an apology instead: the
    exception's type and message, so tests and fuzzers still fail on it."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "normalised": self.normalised,
            "slot_text": self.slot_text,
            "ranking": [{"intent": i, "score": round(s, 3)} for i, s in self.ranking],
            "entities": [e.to_dict() for e in self.entities],
            "unknown": list(self.unknown),
            "context_slots": [{"slot": k, "value": v} for k, v in self.context_slots],
            "decision": self.decision,
            "query": self.query,
            "error": self.error,
        }

    def render(self) -> str:
        """A plain-text view for ``taxobot ask --explain``."""
        lines = [f"text:     {self.normalised}", f"slots in: {self.slot_text}", "intents:"]
        lines += [f"  {s:5.3f}  {i}" for i, s in self.ranking]
        lines.append("entities:")
        lines += [f"  {e.kind:9} {e.name!s:28} <- {e.text!r} ({e.score:.2f})"
                  for e in self.entities]
        if self.unknown:
            lines.append(f"unknown:  {', '.join(self.unknown)}")
        if self.context_slots:
            lines.append("from context:")
            lines += [f"  {k} = {v}" for k, v in self.context_slots]
        lines.append(f"decision: {self.decision}")
        if self.query:
            lines.append(f"query:    {self.query}")
        if self.error:
            lines.append(f"error:    {self.error}")
        return "\n".join(lines)


@value
class Reply:
    text: str
    intent: str
    confidence: float
    entities: tuple[Entity, ...] = ()
    suggestions: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    trace: Trace = Trace()

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "intent": self.intent,
            "confidence": round(self.confidence, 3),
            "entities": [e.to_dict() for e in self.entities],
            "suggestions": list(self.suggestions),
            "sources": list(self.sources),
            "trace": self.trace.to_dict(),
        }
