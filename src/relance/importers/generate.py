"""Machines generated from counts: the same seed always gives the same network."""

import random
import string

from relance.domain.lifecycle import AssetState
from relance.domain.network import Asset, AssetKind, generated_role
from relance.importers.scenario_format import GenerateIn

TAG_ALPHABET = string.ascii_uppercase + string.digits


def assets(spec: GenerateIn, state: AssetState) -> list[Asset]:
    """Servers named SITE-SRV-SERVICE-NN; PCs named SITE-DEPT-W|M plus a seeded asset tag.

    The asset tag stands for the inventory sticker a technician scans: random-looking,
    unique, and the same for the same seed.
    """
    rng = random.Random(spec.seed)  # noqa: S311 - names, not secrets
    out: list[Asset] = []
    numbers: dict[tuple[str, str], int] = {}
    for group in spec.servers:
        key = (group.site, group.services[0])
        for _ in range(group.count):
            numbers[key] = numbers.get(key, 0) + 1
            hostname = f"{group.site}-SRV-{group.services[0]}-{numbers[key]:02d}".upper()
            role = group.role or generated_role(AssetKind.SERVER, group.services)
            out.append(
                Asset(
                    hostname, AssetKind.SERVER, group.site, None, role, tuple(group.services), state
                )
            )
    tags: set[str] = set()
    for machine in spec.machines:
        letter = "W" if machine.kind is AssetKind.WORKSTATION else "M"
        for _ in range(machine.count):
            tag = _new_tag(rng, tags)
            hostname = f"{machine.site}-{machine.department}-{letter}{tag}".upper()
            role = machine.role or generated_role(machine.kind)
            out.append(
                Asset(hostname, machine.kind, machine.site, machine.department, role, (), state)
            )
    return out


def _new_tag(rng: random.Random, taken: set[str]) -> str:
    width = 5 if len(taken) < 1_000_000 else 6
    while True:
        tag = "".join(rng.choices(TAG_ALPHABET, k=width))
        if tag not in taken:
            taken.add(tag)
            return tag
