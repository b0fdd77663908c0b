"""Building blocks shared by the services.yaml models."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlsplit

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

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


HTTP_SCHEMES = ("http", "https")
CREDENTIALS = (
    "holds credentials (`user:password@`), which would be copied into every result, report "
    "and log; remove them and log in with pre-`actions` instead (`fill:` a field with the "
    "value of an environment variable named by `env:`)"
)


def url_problem(value: str) -> str | None:
    """Why an absolute URL must not be loaded, or None for an http(s) URL without
    credentials."""
    parts = urlsplit(value)
    if parts.scheme.lower() not in HTTP_SCHEMES or not parts.netloc:
        return "must be an absolute http(s) URL, like https://example.hel.fi/"
    if "@" in parts.netloc:
        return CREDENTIALS
    return None


def check_http_url(value: str) -> str:
    problem = url_problem(value)
    if problem:
        raise ValueError(problem)
    return value


def check_page_ref(value: str) -> str:
    """A page address in services.yaml: a path under the service URL, or an absolute http(s)
    URL. Anything with another scheme (``file:``, ``chrome:``, ``javascript:``, ``data:``) is
    refused: only http(s) pages are ever loaded."""
    scheme = urlsplit(value).scheme
    if not scheme:
        return value
    if scheme.lower() not in HTTP_SCHEMES:
        raise ValueError(
            f"`{scheme}:` addresses are never loaded; give a path under the service URL "
            "(/events) or an http(s) URL"
        )
    return check_http_url(value)


PageRef = Annotated[str, Field(min_length=1), AfterValidator(check_page_ref)]
"""A path under the service URL or an absolute http(s) URL without credentials."""
