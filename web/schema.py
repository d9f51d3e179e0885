"""The request and response bodies, as pydantic models: they validate input and are what
``/openapi.json`` publishes."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, StrictStr


class AskRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: StrictStr = Field(description="The user's message, as typed.",
                            examples=["what type of model is BERT?"])
    state: dict[str, Any] | None = Field(
        default=None, description="The `state` of the previous response, sent back unchanged "
                                  "to continue a conversation; omit or null to start one.")


class ReplyOut(BaseModel):
    text: str = Field(description="The answer, as Markdown.")
    html: str = Field(description="The answer rendered as HTML (raw HTML in the answer is "
                                  "escaped, never passed through).")
    intent: str = Field(description='"fallback" when not understood, "clarify" when it asks '
                                    'which one was meant.')
    confidence: float
    entities: list[dict[str, Any]]
    suggestions: list[str] = Field(description="Follow-up questions worth offering.")
    sources: list[str]
    trace: dict[str, Any] = Field(description="How the message was understood.")


class AskResponse(BaseModel):
    reply: ReplyOut
    state: dict[str, Any] = Field(description="Send this back with the next message.")


class Problem(BaseModel):
    detail: str | list[dict[str, Any]]


class CategoryOut(BaseModel):
    id: str
    name: str
    short: str
    description: str


class DimensionOut(BaseModel):
    id: str
    number: int
    name: str
    heading: str
    categories: list[CategoryOut]


class Taxonomy(BaseModel):
    dimensions: list[DimensionOut]


class Health(BaseModel):
    status: str
    version: str
    signed_state: bool
