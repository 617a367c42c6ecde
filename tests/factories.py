"""factory_boy factories for the objects tests need; answers go through the real services."""

from __future__ import annotations

import datetime

import factory
from django.utils import timezone

from roer.accounts.models import User
from roer.organisations.models import Membership, Organisation, OrganisationKind, Role
from roer.scans.models import Invitation, RespondentGroup, Scan, instrument_groups
from tests.groups import GroupKind

PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    full_name = factory.Faker("name", locale="nl_NL")
    password = factory.django.Password(PASSWORD)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Gemeente Test {n}")
    kind = OrganisationKind.GEMEENTE
    inhabitants = 42_000


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.BEHEERDER


class ScanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Scan
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory)
    title = factory.Sequence(lambda n: f"Scan {n}")
    opens_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=1))
    closes_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=20))

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):  # type: ignore[no-untyped-def]
        if not create:
            return
        RespondentGroup.objects.bulk_create(instrument_groups(self, extracted))


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    scan = factory.SubFactory(ScanFactory)
    group = factory.LazyAttribute(lambda o: o.scan.groups.get(kind=GroupKind.MEDEWERKERS))
    email = factory.Sequence(lambda n: f"invitee{n}@example.org")
    sent_at = factory.LazyFunction(timezone.now)
