from __future__ import annotations

from dataclasses import dataclass

import pytest

from weerbaar.accounts.models import User
from weerbaar.accounts.roles import Role
from weerbaar.organisations.models import Municipality, PartnerOrganisation, Region

from .factories import (
    MunicipalityFactory,
    PartnerOrganisationFactory,
    RegionFactory,
    TeamFactory,
    UserFactory,
)


@dataclass
class World:
    """Two municipalities in one region, one in another; an account for every role."""

    region: Region
    other_region: Region
    papendrecht: Municipality
    dordrecht: Municipality
    elsewhere: Municipality
    police: PartnerOrganisation
    users: dict[str, User]

    def __getitem__(self, key: str) -> User:
        return self.users[key]


@pytest.fixture
def world(db: None) -> World:
    region = RegionFactory(code="rotterdam", name="Rotterdam")
    other_region = RegionFactory(code="limburg", name="Limburg")
    papendrecht = MunicipalityFactory(code="GM0590", name="Papendrecht", region=region)
    dordrecht = MunicipalityFactory(code="GM0505", name="Dordrecht", region=region)
    elsewhere = MunicipalityFactory(code="GM0935", name="Maastricht", region=other_region)
    police = PartnerOrganisationFactory(name="Politie Drechtsteden", municipalities=[papendrecht])
    TeamFactory(municipality=papendrecht, name="Handhaving Papendrecht")
    TeamFactory(municipality=dordrecht, name="Handhaving Dordrecht")
    users = {
        role.value: UserFactory(username=role.value, role=role, municipality=papendrecht)
        for role in (Role.BEHEERDER, Role.REGISSEUR, Role.ANALIST, Role.MEDEWERKER, Role.BESTUURDER)
    }
    users["partner"] = UserFactory(username="partner", partner=True, partner_organisation=police)
    users["regionaal_analist"] = UserFactory(username="regionaal", regional=True, region=region)
    users["regionaal_elders"] = UserFactory(
        username="regionaal-elders", regional=True, region=other_region
    )
    users["platformbeheerder"] = UserFactory(username="platform", platform=True)
    users["beheerder_dordrecht"] = UserFactory(
        username="beheerder-dordrecht", role=Role.BEHEERDER, municipality=dordrecht
    )
    users["regisseur_dordrecht"] = UserFactory(
        username="regisseur-dordrecht", role=Role.REGISSEUR, municipality=dordrecht
    )
    return World(region, other_region, papendrecht, dordrecht, elsewhere, police, users)
