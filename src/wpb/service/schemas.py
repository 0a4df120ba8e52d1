"""What every API body shares (Pydantic): the request and response bases, moments, problems.

Field names are Dutch and camelCase, as the NL GOV API Design Rules ask. Request bodies
refuse unknown fields, so a typo is an error instead of being silently ignored. Dates are
``format: date``; moments are UTC ``date-time``. Each component keeps its own bodies in
its ``schemas`` module.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, WithJsonSchema, field_validator

from wpb.service.text_guard import validate_text

# A moment in UTC as the service writes it (ISO 8601 with "Z"): ``format: date-time`` in
# the document, as ADR /core/date-time/format asks for every moment field (...Op, tijdstip).
Moment = Annotated[str, WithJsonSchema({"type": "string", "format": "date-time"})]
# A day as the service writes it (JJJJ-MM-DD): ``format: date``, kept as the text it is.
Day = Annotated[str, WithJsonSchema({"type": "string", "format": "date"})]


class RequestBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="before")
    @classmethod
    def no_control_characters(cls, value: object) -> object:
        """No control characters in any text of a request (issue 19, S5)."""
        return validate_text(value)


class ResponseBody(BaseModel):
    model_config = ConfigDict(extra="allow")


# --- errors ---------------------------------------------------------------------------------


class InvalidParam(BaseModel):
    name: str = Field(description="Het veld of de plaats van de fout, bijv. 'onderbouwing' of 'regel 4, kolom bsn'.")
    code: str
    reason: str


class ProblemDetails(ResponseBody):
    type: str = Field(description="URI die het soort probleem aanduidt.")
    title: str
    status: int
    detail: str
    code: str
    invalidParams: list[InvalidParam] | None = None
