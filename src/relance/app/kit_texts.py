"""What the offline kit says to the technician: the install script and its two READMEs.

One language per document: LISEZMOI.txt in French, README.txt in English; the script speaks
French unless the locale is English.
"""

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from relance.app.kit import DebianPackage, MachineWheels

LISEZMOI, README = "LISEZMOI.txt", "README.txt"

# What each Debian package is for: (French, English).
PURPOSE = {
    "python3": ("Python 3.11 (Debian 12)", "Python 3.11 (Debian 12)"),
    "python3-venv": (
        "python3 -m venv, pour installer le kit",
        "python3 -m venv, to install the kit",
    ),
    "postgresql": (
        "le serveur partagé, pour une cellule sur plusieurs postes",
        "the shared server, for a crisis cell working from several machines",
    ),
    "postgresql-client": (
        "pg_dump et pg_restore : sauvegardes d'une base PostgreSQL",
        "pg_dump and pg_restore: backups of a PostgreSQL database",
    ),
    "kannel": ("la passerelle SMS des messages aux patients", "the SMS gateway for patients"),
    "kannel-extras": (
        "fakesmsc, pour répéter les SMS sans réseau téléphonique",
        "fakesmsc, to rehearse the SMS without a phone network",
    ),
    "age": (
        "ouvre les instantanés et sauvegardes chiffrés sans Python",
        "opens encrypted snapshots and backups without Python",
    ),
    "zbar-tools": (
        "zbarimg : vérifie les codes-barres des feuilles imprimées",
        "zbarimg: checks the barcodes of printed ward sheets",
    ),
    "poppler-utils": (
        "pdftotext, pdftoppm : lire les PDF",
        "pdftotext, pdftoppm: read the PDFs",
    ),
}


@dataclass(frozen=True)
class KitFacts:
    version: str
    machines: "tuple[MachineWheels, ...]"
    debian: "tuple[DebianPackage, ...]"
    glibc: str
    built_at: datetime


def os_name() -> str:
    """The builder's system, as /etc/os-release names it (the apt versions are this one's)."""
    try:
        for line in Path("/etc/os-release").read_text(encoding="utf-8").splitlines():
            if line.startswith("PRETTY_NAME="):
                return line.split("=", 1)[1].strip().strip('"')
    except OSError:
        pass
    return "unknown system"


def lisezmoi(facts: KitFacts) -> str:
    machines = "\n".join(
        f"  {m.machine} : complet ({m.wheels} paquets)"
        if m.complete
        else f"  {m.machine} : PAS INSTALLABLE, aucun wheel {m.machine} pour "
        + ", ".join(m.missing)
        for m in facts.machines
    )
    debian = "\n".join(
        f"  {p.name:<18} {'requis' if p.needed else 'option':<7} installé {p.installed}, "
        f"candidat {p.candidate}\n  {'':<18} {PURPOSE[p.name][0]}"
        for p in facts.debian
    )
    return f"""relance {facts.version} - kit d'installation hors ligne
Construit le {facts.built_at:%Y-%m-%d %H:%M} UTC sur {os_name()}.

Ce kit installe relance sur un portable propre, sans réseau : Linux avec glibc
{facts.glibc} ou plus récente (Debian 10+, Ubuntu 20.04+, RHEL 8+) et Python 3.11.

Machines
{machines}

Installer
  1. Python 3.11 et venv (Debian 12 : apt install python3 python3-venv).
  2. sh install.sh ~/relance
     Le script vérifie le kit (sha256sum -c SHA256SUMS), crée l'environnement
     ~/relance et y installe relance depuis wheels/, sans réseau.
     À la main : python3 -m venv ~/relance
       ~/relance/bin/pip install --no-index --find-links wheels relance

Premiers pas
  ~/relance/bin/relance demo --dir demo
  cd demo && ~/relance/bin/relance sitrep --date 2022-05-17 --out sitrep.pdf \\
    --actor "votre nom"
  (une modification porte un nom dans la piste d'audit : --actor, RELANCE_ACTOR
  ou relance login)

Paquets Debian (versions données par apt-cache policy sur la machine qui a
construit le kit ; sur une autre version de Debian elles diffèrent)
{debian}
  Pour les emporter hors ligne : sur une machine propre de la même version,
  apt-get install --download-only PAQUET range le paquet et ses dépendances
  dans /var/cache/apt/archives ; sur le portable : apt install ./*.deb

Contenu
  wheels/            les paquets Python, vérifiés contre requirements.lock
  requirements.lock  versions exactes et empreintes SHA-256
  install.sh         l'installation
  kit.json           ce kit en JSON ; SHA256SUMS : l'empreinte de chaque fichier
"""


def readme(facts: KitFacts) -> str:
    machines = "\n".join(
        f"  {m.machine}: complete ({m.wheels} packages)"
        if m.complete
        else f"  {m.machine}: NOT INSTALLABLE, no {m.machine} wheel for " + ", ".join(m.missing)
        for m in facts.machines
    )
    debian = "\n".join(
        f"  {p.name:<18} {'needed' if p.needed else 'option':<7} installed {p.installed}, "
        f"candidate {p.candidate}\n  {'':<18} {PURPOSE[p.name][1]}"
        for p in facts.debian
    )
    return f"""relance {facts.version} - offline install kit
Built on {facts.built_at:%Y-%m-%d %H:%M} UTC on {os_name()}.

This kit installs relance on a clean laptop with no network: Linux with glibc
{facts.glibc} or newer (Debian 10+, Ubuntu 20.04+, RHEL 8+) and Python 3.11.

Machines
{machines}

Install
  1. Python 3.11 and venv (Debian 12: apt install python3 python3-venv).
  2. sh install.sh ~/relance
     The script checks the kit (sha256sum -c SHA256SUMS), creates the
     environment ~/relance and installs relance into it from wheels/, with no
     network.
     By hand: python3 -m venv ~/relance
       ~/relance/bin/pip install --no-index --find-links wheels relance

First steps
  ~/relance/bin/relance demo --dir demo
  cd demo && ~/relance/bin/relance sitrep --date 2022-05-17 --out sitrep.pdf \\
    --actor "your name"
  (a change carries a name in the audit trail: --actor, RELANCE_ACTOR or
  relance login)

Debian packages (versions as apt-cache policy reported on the machine that
built the kit; on another Debian release they differ)
{debian}
  To carry them offline: on a clean machine of the same release,
  apt-get install --download-only PACKAGE puts the package and its dependencies
  in /var/cache/apt/archives; on the laptop: apt install ./*.deb

Contents
  wheels/            the Python packages, checked against requirements.lock
  requirements.lock  exact versions and SHA-256 hashes
  install.sh         the installation
  kit.json           this kit as JSON; SHA256SUMS: the hash of every file
"""


def install_script() -> str:
    return r"""#!/bin/sh
# relance: install from this kit, with no network.   sh install.sh [DIR]   (default: ./relance)
# Needs Python 3.11 and its venv module (Debian: python3 python3-venv); PYTHON=python3.11 to
# choose the interpreter. Messages in French, in English when the locale is English.
set -eu
kit=$(cd "$(dirname "$0")" && pwd)
target=${1:-relance}
python=${PYTHON:-python3}
case "${LC_ALL:-${LC_MESSAGES:-${LANG:-}}}" in en*) english=1 ;; *) english= ;; esac

say() { if [ -n "$english" ]; then printf '%s\n' "$2"; else printf '%s\n' "$1"; fi; }
stop() { say "erreur : $1" "error: $2" >&2; exit 2; }

"$python" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' 2>/dev/null ||
  stop "il faut Python 3.11 ($python ne l'est pas ; essayez PYTHON=python3.11 sh install.sh)" \
    "Python 3.11 is needed ($python is not; try PYTHON=python3.11 sh install.sh)"
machine=$(uname -m)
"$python" -c 'import json, sys; m = json.load(open(sys.argv[1]))["machines"].get(sys.argv[2])
sys.exit(0 if m and m["complete"] else 1)' "$kit/kit.json" "$machine" ||
  stop "ce kit n'a pas tous les paquets pour $machine (voir LISEZMOI.txt)" \
    "this kit lacks packages for $machine (see README.txt)"
[ ! -e "$target" ] ||
  stop "$target existe déjà : choisissez un nouveau dossier" \
    "$target already exists: choose a new directory"

say "vérification du kit (SHA256SUMS)..." "checking the kit (SHA256SUMS)..."
(cd "$kit" && sha256sum --quiet --check SHA256SUMS) ||
  stop "le kit est endommagé (fichiers ci-dessus) : recopiez-le" \
    "the kit is damaged (files above): copy it again"
"$python" -m venv "$target" ||
  stop "python3 -m venv a échoué : installez python3-venv (Debian)" \
    "python3 -m venv failed: install python3-venv (Debian)"
say "installation de relance dans $target, sans réseau..." \
  "installing relance in $target, with no network..."
# No index, no configuration of this machine: the kit's wheels and nothing else.
if ! PIP_CONFIG_FILE=/dev/null "$target/bin/python" -m pip --isolated \
  --disable-pip-version-check install --quiet --no-index --find-links "$kit/wheels" relance; then
  rm -rf "$target"
  stop "pip n'a pas pu installer relance depuis le kit (message ci-dessus)" \
    "pip could not install relance from the kit (message above)"
fi
"$target/bin/relance" --help >/dev/null
say "relance est installé. Essayez : $target/bin/relance demo --dir demo" \
  "relance is installed. Try: $target/bin/relance demo --dir demo"
"""
