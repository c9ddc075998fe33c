"""What the API reads and accepts for the organization and its address, kept apart from the ORM."""

from pydantic import Field

from app.schemas.common import ReadModel, ResourceRead
from app.schemas.inputs import InputModel, Locale, ShortText, Slug, Telephone, Text, Url


class Address(ReadModel):
    """A postal address; any part may be unknown."""

    street: str | None = None
    locality: str | None = None
    region: str | None = None
    postal_code: str | None = None
    country: str | None = None


class OrganizationRead(ResourceRead):
    """The organization that publishes the content, and its licence."""

    name: str
    url: str | None
    logo_url: str | None
    address: Address
    telephone: str | None
    content_licence: str
    attribution: str
    is_placeholder: bool = Field(
        description="True while the operator has not replaced the shipped placeholder profile."
    )


class AddressInput(InputModel):
    """A postal address; any part may be left out."""

    street: ShortText | None = None
    locality: ShortText | None = None
    region: ShortText | None = None
    postal_code: ShortText | None = None
    country: ShortText | None = None


class OrganizationCreate(InputModel):
    """The publishing organization's profile."""

    slug: Slug
    name: ShortText
    url: Url | None = None
    logo_url: Url | None = None
    address: AddressInput = AddressInput()
    telephone: Telephone | None = None
    content_licence: Text = ""
    attribution: Text = ""
    is_placeholder: bool = False
    locale: Locale = "en"
