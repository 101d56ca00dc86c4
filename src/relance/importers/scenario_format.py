"""The scenario file format, as Pydantic models: the one source of its JSON Schema.

Every number is finite and bounded (a weight of 1e300 would overflow the planner), every text
has a length that fits its column: the file is refused before anything is written.
"""

from typing import Annotated, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, model_validator

from relance.domain.errors import N_, RelanceError
from relance.domain.lifecycle import AssetState
from relance.domain.network import AssetKind, PublicService, SiteKind, Skill
from relance.domain.text import NAME_MAX, TEXT_MAX

Code = Annotated[
    str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$", max_length=40, description="short code")
]
Hours = Annotated[float, Field(gt=0, le=10_000)]
Source = Annotated[str, Field(max_length=2_000)]
SERVICE_CODES_MAX = 400  # characters of effort.machine_services, comma-separated: its column


class Strict(BaseModel):
    model_config = ConfigDict(
        extra="forbid", frozen=True, allow_inf_nan=False, str_max_length=NAME_MAX
    )


class DepartmentIn(Strict):
    code: Code
    name: str


class SiteIn(Strict):
    code: Code
    name: str
    kind: SiteKind
    public_name: str = Field("", description="as patients know it; the name if omitted")
    short_name: str = Field(
        "", max_length=20, description="the place, in an SMS or a list of sites (the town)"
    )
    departments: list[DepartmentIn] = []


Phone = Annotated[str, Field(pattern=r"^\+?[0-9][0-9 ./-]{3,19}$", description="a phone number")]


class OrganisationIn(Strict):
    """Who patients and the public hear from."""

    name: str = Field(min_length=1, description="public name, in communiqués")
    short_name: str = Field(min_length=1, max_length=20)
    patient_line: Phone = Field(description="the number patients call back, in every SMS")
    sms_sender: str = Field(
        pattern=r"^[A-Za-z0-9 ]{1,11}$",
        description="the sender patients see: 11 letters, digits or spaces at most",
    )
    switchboard: Phone | None = None
    website: str = ""


class ServiceIn(Strict):
    code: Code
    name: str
    rebuild_hours: Hours = Field(description="technician-hours to rebuild one server of it")
    depends_on: list[Code] = []
    tier: int | None = Field(None, ge=1, le=100, description="hand-made restoration tier (1 first)")


class TeamIn(Strict):
    code: Code
    name: str
    site: Code | None = Field(None, description="home site; omitted for a central team")
    size: Annotated[int, Field(ge=1, le=1000)]
    skills: list[Skill] = Field(min_length=1)


class MachineNeedIn(Strict):
    kind: AssetKind = AssetKind.WORKSTATION
    department: Code
    count: Annotated[int, Field(ge=1, le=1_000_000)] | None = None
    share: Annotated[float, Field(gt=0, le=1)] | None = Field(
        None, description="fraction of the department's machines of this kind at the site"
    )

    @model_validator(mode="after")
    def _one_of_count_or_share(self) -> "MachineNeedIn":
        if (self.count is None) == (self.share is None):
            raise ValueError(N_("give exactly one of count or share"))
        return self


class NeedsIn(Strict):
    services: list[Code] = []
    machines: list[MachineNeedIn] = []


class ActivityIn(Strict):
    code: Code
    name: str
    sites: list[Code] = Field(min_length=1)
    weight: Annotated[float, Field(ge=0, le=10_000)] = Field(
        description="cost of one hour without it"
    )
    paper_mode: bool = False
    paper_capacity: Annotated[int, Field(ge=0, le=100)] = 0
    needs: NeedsIn = NeedsIn()
    public: PublicService | None = Field(
        None, description="what patients come for, as a communiqué groups it; omitted: internal"
    )


class EffortIn(Strict):
    workstation_hours: Hours
    medical_device_hours: Hours
    machine_services: list[Code] = Field(
        [], description="services that must run before a PC can be rebuilt (directory, imaging)"
    )

    @model_validator(mode="after")
    def _services_fit(self) -> "EffortIn":
        if len(",".join(self.machine_services)) > SERVICE_CODES_MAX:
            too_long = N_("more than {limit} characters of service codes")
            raise ValueError(RelanceError(too_long, limit=SERVICE_CODES_MAX))
        return self


class ServerGroupIn(Strict):
    site: Code
    services: list[Code] = Field(min_length=1)
    count: Annotated[int, Field(ge=1, le=100_000)]
    role: str = ""


class MachineGroupIn(Strict):
    site: Code
    department: Code
    kind: Literal[AssetKind.WORKSTATION, AssetKind.MEDICAL_DEVICE] = AssetKind.WORKSTATION
    count: Annotated[int, Field(ge=1, le=1_000_000)]
    role: str = ""


class GenerateIn(Strict):
    seed: int = Field(ge=-(2**63), le=2**63 - 1)
    servers: list[ServerGroupIn] = []
    machines: list[MachineGroupIn] = []


class AssetsIn(Strict):
    csv: str | None = Field(None, description="CSV file of assets, relative to the scenario")
    generate: GenerateIn | None = None
    initial_state: AssetState = AssetState.COMPROMISED

    @model_validator(mode="after")
    def _one_source(self) -> "AssetsIn":
        if (self.csv is None) == (self.generate is None):
            raise ValueError(N_("give exactly one of csv or generate"))
        return self


class ScenarioIn(Strict):
    """A hospital network: sites, services, teams, activities, effort and machines."""

    format: Literal["relance-scenario/1"]
    name: Code
    description: str = Field("", max_length=TEXT_MAX)
    incident_start: AwareDatetime | None = Field(
        None, description="when the attack began (day 0 of forecasts), with its UTC offset"
    )
    organisation: OrganisationIn
    effort: EffortIn
    sites: list[SiteIn] = Field(min_length=1)
    services: list[ServiceIn] = []
    teams: list[TeamIn] = []
    activities: list[ActivityIn] = []
    assets: AssetsIn
    sources: dict[str, Source] = Field(
        default_factory=dict, description="where the figures come from, cited in reports"
    )
    translations: dict[Literal["fr", "nl", "de", "en"], dict[str, str]] = Field(
        default_factory=dict,
        description="the file's own words (activity and site names) in other languages: "
        "language -> word as written here -> its translation",
    )
