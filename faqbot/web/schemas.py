"""Request and response models: what the API accepts and what OpenAPI documents."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, create_model, model_validator
from pydantic_core import PydanticCustomError

ENTRY_ID_MAX = 100


class AskRequest(BaseModel):
    """A visitor's message, or the id of a follow-up / clarify option they picked."""

    # OpenAPI says what the validator enforces: a question, or an id (exactly one of them).
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"anyOf": [{"required": ["question"]}, {"required": ["id"]}]},
    )

    question: str | None = Field(None, description="What the visitor typed.")
    id: str | None = Field(
        None, max_length=ENTRY_ID_MAX, description="An entry id from `options` or `related`."
    )
    context: dict[str, Any] | None = Field(
        None, description='What the previous reply left, e.g. {"previous_id": "no-nudity"}.'
    )

    @model_validator(mode="after")
    def _question_or_id(self) -> AskRequest:
        if (self.question is None) == (self.id is None):
            # The code names the sentence the error handler says (`error_question_or_id`).
            raise PydanticCustomError("question_or_id", "question_or_id")
        return self


def ask_request_model(max_question_chars: int) -> type[AskRequest]:
    """`AskRequest` with the knowledge base's question limit, so OpenAPI states it."""
    question = (
        str | None,
        Field(
            None,
            max_length=max_question_chars,
            description=f"What the visitor typed (at most {max_question_chars} characters).",
        ),
    )
    return create_model("AskRequest", __base__=AskRequest, question=question)


class FeedbackRequest(BaseModel):
    """Whether an answer helped; stored only when the maintainer turned logging on."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(max_length=ENTRY_ID_MAX, description="The id of the answer rated.")
    helpful: StrictBool = Field(description="true or false; 1, 0 or 'yes' are refused.")


class ChoiceModel(BaseModel):
    """An entry the visitor can pick next."""

    id: str
    question: str


class ResourceModel(BaseModel):
    """A crisis resource with a tappable link (`tel:`, `sms:`, `https:`) or ''."""

    name: str
    contact: str
    link: str


class ReplyModel(BaseModel):
    """The bot's reply; `answer` is text with `[text](target)` links, never HTML."""

    kind: Literal["answer", "clarify", "fallback", "crisis"]
    id: str | None
    question: str | None
    answer: str
    score: float
    options: list[ChoiceModel]
    related: list[ChoiceModel]
    resources: list[ResourceModel]
    checkin: str = Field(
        "",
        description="A check-in: a short safety line to show, with `resources`, beside an "
        "ordinary reply ('' when there is none).",
    )
    resources_heading: str = Field(
        "", description="The line above `resources` when not `headings.crisis_heading`."
    )


class HeadingsModel(BaseModel):
    """Sentences from the knowledge base that front ends put around replies."""

    crisis_heading: str = Field(description="Shown above the crisis resources.")
    start_heading: str = Field(description="Shown above the suggested first questions.")
    related_heading: str = Field(description="Shown above an answer's follow-up questions.")
    fallback_heading: str = Field(description="Shown above a fallback's suggestions.")
    goodbye: str = Field(description="Said when a conversation ends.")


class WelcomeModel(BaseModel):
    """What the widget shows before the first question."""

    greeting: str = Field(description="Its privacy sentence is true of `feedback_stored`.")
    disclaimer: str
    suggestions: list[ChoiceModel]
    max_question_chars: int
    headings: HeadingsModel
    strings: dict[str, str] = Field(
        description="Every sentence the widget shows on its own, by name: practice.yaml "
        "`widget:`, else the defaults of the knowledge base's language."
    )
    language: str = Field(description="The knowledge base's language code, e.g. `en`.")
    direction: Literal["ltr", "rtl"] = Field(description="Its writing direction.")
    feedback_stored: bool = Field(
        description="Whether /api/feedback ratings (and unanswered questions) are kept "
        "(--log-unanswered); only then may a front end thank the visitor for a rating."
    )


class TopicModel(BaseModel):
    """One topic and its questions, for a browse view."""

    title: str
    entries: list[ChoiceModel]


class TopicsModel(BaseModel):
    """Every entry, grouped by topic, in knowledge-base order."""

    topics: list[TopicModel]


class HealthModel(BaseModel):
    """The server is up and has a knowledge base loaded."""

    status: Literal["ok"]
    entries: int


class ErrorDetail(BaseModel):
    """Which field was wrong and why."""

    field: str
    message: str


class ErrorBody(BaseModel):
    """The body of every error."""

    status: int
    code: str
    message: str
    details: list[ErrorDetail]


class ErrorModel(BaseModel):
    """The one shape of every error response."""

    error: ErrorBody
