"""Request and response bodies of tokens and the user's profile.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from wpb.service.schemas import Moment, RequestBody, ResponseBody

# --- authentication -----------------------------------------------------------------------


class TokenAanvraag(RequestBody):
    gebruikersnaam: str = Field(min_length=1, max_length=100)
    wachtwoord: str = Field(min_length=1, max_length=1000)
    omschrijving: str = Field(default="", max_length=200, description="Waarvoor het token dient.")


class Token(ResponseBody):
    token: str = Field(description="Het API-token; alleen nu zichtbaar, bewaar het veilig.")
    tokenType: Literal["Bearer"] = "Bearer"
    verlooptOp: Moment | None = Field(description="UTC-moment waarop het token verloopt.")


class Gebruikersprofiel(ResponseBody):
    gebruikersnaam: str
    naam: str
    organisatie: dict[str, Any]
