"""The interface in French (the crisis cell's language, the default) and English.

Templates write the English text and call t(); French is looked up here. A test checks that
every text of the templates has its French.
"""

from collections.abc import Callable

from fastapi import Request

LANGUAGES = ("fr", "en")
LANG_COOKIE = "relance_lang"

FRENCH: dict[str, str] = {
    "Overview": "Vue d'ensemble",
    "Assets": "Machines",
    "IT services": "Services informatiques",
    "Timeline": "Chronologie",
    "Audit": "Audit",
    "Plan": "Plan",
    "Appointments": "Rendez-vous",
    "Notifications": "Notifications",
    "Sitreps": "Rapports",
    "Snapshots": "Instantanés",
    "Accounts": "Comptes",
    "Sign in": "Se connecter",
    "Sign out": "Se déconnecter",
    "Login": "Identifiant",
    "Password": "Mot de passe",
    "Wrong login or password.": "Identifiant ou mot de passe incorrect.",
    "Too many failed attempts: wait 15 minutes or ask the crisis lead.": (
        "Trop d'essais manqués : attendez 15 minutes ou demandez au responsable de crise."
    ),
    "Machines": "Machines",
    "Redeployed": "Redéployées",
    "Services up": "Services disponibles",
    "Activities": "Activités",
    "Fully functional": "Fonctionnelle",
    "Partially functional": "Partiellement fonctionnelle",
    "Not functional": "Non fonctionnelle",
    "Phase": "Phase",
    "Site": "Site",
    "Sites": "Sites",
    "Clinical activities by site": "Activités cliniques par site",
    "Restoration curve": "Courbe de restauration",
    "machines redeployed": "machines redéployées",
    "Machines by state": "Machines par état",
    "Hostname": "Nom d'hôte",
    "Kind": "Type",
    "Department": "Service",
    "Role": "Rôle",
    "Services": "Services",
    "State": "État",
    "Filter": "Filtrer",
    "Any": "Tous",
    "matching": "correspondantes",
    "Move the machines shown": "Faire avancer les machines filtrées",
    "New state": "Nouvel état",
    "Reason": "Motif",
    "Evidence (SHA-256 for imaged)": "Preuve (SHA-256 pour « imaged »)",
    "Apply to every matching machine": "Appliquer à toutes les machines filtrées",
    "machines moved": "machines déplacées",
    "Previous": "Précédent",
    "Next": "Suivant",
    "Depends on": "Dépend de",
    "Up": "Disponible",
    "Down": "Indisponible",
    "Servers": "Serveurs",
    "Dependencies": "Dépendances",
    "When": "Quand",
    "Who": "Qui",
    "From": "De",
    "To": "Vers",
    "Evidence": "Preuve",
    "History": "Historique",
    "In this state since": "Dans cet état depuis",
    "Move this machine": "Déplacer cette machine",
    "What": "Quoi",
    "Objects": "Objets",
    "Why": "Pourquoi",
    "Recorded": "Enregistré",
    "Event": "Événement",
    "Object": "Objet",
    "Before": "Avant",
    "After": "Après",
    "events": "événements",
    "No plan yet: run relance plan.": "Pas encore de plan : lancez relance plan.",
    "Plan version": "Version du plan",
    "Method": "Méthode",
    "Weighted downtime": "Indisponibilité pondérée",
    "Activity": "Activité",
    "Partly back": "Reprise partielle",
    "Fully back": "Reprise complète",
    "Waits for": "Attend",
    "Tasks by team": "Tâches par équipe",
    "At most": "Au plus",
    "above the best possible plan": "au-dessus du meilleur plan possible",
    "proven bound": "borne prouvée",
    "No bound proven: how far this plan is from the best possible is unknown.": (
        "Aucune borne prouvée : l'écart entre ce plan et le meilleur possible est inconnu."
    ),
    "changes reported while it was solved are not in it: plan again to count them.": (
        "changements signalés pendant son calcul n'y figurent pas : relancez le plan pour "
        "les prendre en compte."
    ),
    "hours": "heures",
    "appointments to review": "rendez-vous à revoir",
    "Patient": "Patient",
    "Contact": "Contact",
    "Pathway": "Parcours",
    "Decision": "Décision",
    "Decide": "Décider",
    "Messages by delivery status": "Messages par statut de livraison",
    "Status": "Statut",
    "Count": "Nombre",
    "Day": "Jour",
    "Version": "Version",
    "Drafted": "Rédigé",
    "Approved": "Approuvé",
    "Published": "Publié",
    "Approve": "Approuver",
    "Publish": "Publier",
    "No sitrep yet.": "Pas encore de rapport.",
    "No snapshot directory: set RELANCE_SNAPSHOT_DIR.": (
        "Pas de dossier d'instantanés : définissez RELANCE_SNAPSHOT_DIR."
    ),
    "Data as of": "Données du",
    "Built": "Construit",
    "Wards": "Unités",
    "Inpatients": "Patients hospitalisés",
    "Name": "Nom",
    "Active": "Actif",
    "yes": "oui",
    "no": "non",
    "all": "tous",
    "Add an account": "Ajouter un compte",
    "Add": "Ajouter",
    "Disable": "Désactiver",
    "New password": "Nouveau mot de passe",
    "Change role": "Changer le rôle",
    "The password, shown once": "Le mot de passe, affiché une seule fois",
    "Refused": "Refusé",
    "Not possible": "Impossible",
    "Back": "Retour",
    "nothing was changed": "rien n'a été modifié",
    "Live: this page refreshes when the data changes.": (
        "En direct : la page se met à jour quand les données changent."
    ),
    "Crisis cell": "Cellule de crise",
    "Hospital": "Hôpital",
    "Capacity": "Capacité",
    "API token for a script": "Jeton d'API pour un script",
    "Create": "Créer",
    "Day 0": "Jour 0",
    "none": "aucun",
}


def language(request: Request) -> str:
    """The cookie's language, else the browser's first known one, else French."""
    chosen = request.cookies.get(LANG_COOKIE, "")
    if chosen in LANGUAGES:
        return chosen
    for part in request.headers.get("accept-language", "").split(","):
        code = part.split(";")[0].strip()[:2].lower()
        if code in LANGUAGES:
            return code
    return "fr"


def translator(lang: str) -> Callable[[str], str]:
    if lang == "fr":
        return lambda text: FRENCH.get(text, text)
    return lambda text: text
