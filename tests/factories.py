"""factory_boy factories with deterministic defaults and named traits."""

from __future__ import annotations

import factory
from django_otp.plugins.otp_totp.models import TOTPDevice

from weerbaar.accounts.models import User
from weerbaar.accounts.roles import Role
from weerbaar.organisations.models import (
    District,
    Municipality,
    PartnerKind,
    PartnerOrganisation,
    Province,
    Region,
    SafetyRegion,
    Team,
    TeamKind,
)


class ProvinceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Province
        django_get_or_create = ("code",)

    code = "PV28"
    name = "Zuid-Holland"


class SafetyRegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SafetyRegion
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"VR{n % 70 + 30:02d}")  # VR30-VR99: unused by real regions
    name = factory.Sequence(lambda n: f"Veiligheidsregio {n % 70 + 30}")


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = "rotterdam"
    name = "Rotterdam"


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"district-{n}")
    name = factory.Sequence(lambda n: f"District {n}")
    region = factory.SubFactory(RegionFactory)


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"GM9{n % 1000:03d}")
    name = factory.Sequence(lambda n: f"Testgemeente {n}")
    province = factory.SubFactory(ProvinceFactory)
    safety_region = factory.SubFactory(SafetyRegionFactory)
    region = factory.SubFactory(RegionFactory)
    district = factory.LazyAttribute(lambda o: DistrictFactory(region=o.region))
    is_participating = True


class PartnerOrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartnerOrganisation
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Partner {n}")
    kind = PartnerKind.POLITIE

    @factory.post_generation
    def municipalities(self, create, extracted, **kwargs):  # type: ignore[no-untyped-def]
        if create and extracted:
            self.municipalities.set(extracted)

    @factory.post_generation
    def regions(self, create, extracted, **kwargs):  # type: ignore[no-untyped-def]
        if create and extracted:
            self.regions.set(extracted)


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    municipality = factory.SubFactory(MunicipalityFactory)
    name = factory.Sequence(lambda n: f"Team {n}")
    kind = TeamKind.ENFORCEMENT


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.test")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"Gebruiker{n}")
    role = Role.REGISSEUR
    municipality = factory.SubFactory(MunicipalityFactory)
    password = factory.django.Password("Correct-paard-batterij-42")

    class Params:
        partner = factory.Trait(
            role=Role.PARTNER,
            municipality=None,
            partner_organisation=factory.SubFactory(PartnerOrganisationFactory),
        )
        regional = factory.Trait(
            role=Role.REGIONAAL_ANALIST, municipality=None, region=factory.SubFactory(RegionFactory)
        )
        platform = factory.Trait(role=Role.PLATFORMBEHEERDER, municipality=None)
        with_totp = factory.Trait(
            totp=factory.RelatedFactory(
                "tests.factories.TOTPDeviceFactory", factory_related_name="user"
            )
        )


class TOTPDeviceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TOTPDevice

    user = factory.SubFactory(UserFactory)
    name = "Authenticator-app"
    confirmed = True
