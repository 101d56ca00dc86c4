"""Who the documents of the crisis cell say they come from: the scenario's organisation and the
names of its sites, in the reader's language."""

from dataclasses import dataclass

from relance.domain.errors import N_, InvalidInput
from relance.domain.network import Organisation, Site, translated
from relance.storage import network_store
from relance.storage.database import UnitOfWork


@dataclass(frozen=True)
class Identity:
    organisation: Organisation
    sites: dict[str, Site]
    translations: dict[str, dict[str, str]]

    def word(self, text: str, language: str) -> str:
        """One of the scenario's names in `language`, or as written."""
        return translated(self.translations, language, text)

    def site_short(self, code: str, language: str) -> str:
        return self.word(self.sites[code].short, language)


def identity(uow: UnitOfWork) -> Identity:
    """The organisation of the loaded network, or an error a technician can act on."""
    if network_store.network_name(uow) is None:
        raise InvalidInput(N_("no network loaded: run `relance init --scenario FILE` first"))
    found = network_store.organisation(uow)
    if found is None:
        raise InvalidInput(
            N_(
                "this network was loaded from a scenario without `organisation:` (public name, "
                "patient line, SMS sender): load it again from a scenario that has one "
                "(docs/scenario-format.md)"
            )
        )
    sites = {s.code: s for s in network_store.sites(uow)}
    return Identity(found, sites, network_store.translations(uow))


def sms_sender(uow: UnitOfWork, override: str | None = None) -> str:
    """RELANCE_SMS_SENDER when set (passed as `override`), else the scenario's sender."""
    return override or identity(uow).organisation.sms_sender
