"""Building blocks shared by the services.yaml models."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlparse

from pydantic import BaseModel, ConfigDict, Field

SLUG = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
EMAIL = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"

Slug = Annotated[str, Field(pattern=SLUG, max_length=64)]


class StrictModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class LocalizedText(StrictModel):
    """A text in the three languages of the statements."""

    fi: str = Field(min_length=1)
    sv: str = Field(min_length=1)
    en: str = Field(min_length=1)

    def get(self, lang: str) -> str:
        return str(getattr(self, lang))


def check_http_url(value: str) -> str:
    parsed = urlparse(value)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise ValueError("must be an absolute http(s) URL, like https://example.hel.fi/")
    return value
