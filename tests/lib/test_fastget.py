"""The hot path's SELECT builds the instances the ORM would have built, whatever order its fields are named in."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection

from roer.lib.fastget import Part, Select
from roer.organisations.models import Organisation
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def test_fields_named_out_of_the_models_order_land_in_their_own_attributes():
    changed = datetime.datetime(2026, 3, 1, 9, 30, tzinfo=datetime.UTC)
    organisation = OrganisationFactory(primary_colour="#1d4f91", logo_updated_at=changed)
    table = connection.ops.quote_name(Organisation._meta.db_table)
    key = connection.ops.quote_name("id")
    # primary_colour is declared after logo_updated_at: named the other way round here
    select = Select(
        [Part(Organisation, "o", ["primary_colour", "name", "logo_updated_at"])], f"FROM {table} o", f"o.{key} = %s"
    )
    found = select.one(organisation.pk)
    assert found is not None
    (read,) = found
    assert isinstance(read, Organisation)
    assert (read.name, read.primary_colour, read.logo_updated_at) == (organisation.name, "#1d4f91", changed)
    assert read.get_deferred_fields() >= {"kind", "inhabitants"}
