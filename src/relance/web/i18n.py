"""The interface in French (the crisis cell's language, the default) and English.

Templates write the English text and call t(); French is looked up here. A test checks that
every text of the templates has its French.
"""

from collections.abc import Callable

from fastapi import Request

LANGUAGES = ("fr", "en")
LANG_COOKIE = "relance_lang"

FRENCH: dict[str, str] = {
    "Overdue": "Échéance dépassée",
    "Less than 6 hours left": "Moins de 6 heures",
    "due": "échéance",
    "Legal duties": "Obligations légales",
    "Deadlines count from {aware}, when the cell became aware of the attack.": (
        "Les échéances courent depuis {aware}, quand la cellule a eu connaissance de l'attaque."
    ),
    "Duty": "Obligation",
    "Authority": "Autorité",
    "Due": "Échéance",
    "Time left": "Temps restant",
    "to do": "à faire",
    "drafted": "rédigée",
    "approved": "approuvée",
    "submitted": "soumise",
    "not applicable": "sans objet",
    "NIS2: early warning to the CCB": "NIS2 : alerte précoce au CCB",
    "NIS2: incident notification to the CCB": "NIS2 : notification d'incident au CCB",
    "NIS2: final report to the CCB": "NIS2 : rapport final au CCB",
    "GDPR: notification of the data breach to the APD/GBA": (
        "RGPD : notification de la violation de données à l'APD"
    ),
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
    "Review": "Retour d'expérience",
    "After-action review": "Retour d'expérience",
    "The review, written from the crisis cell's records as of now:": (
        "Le retour d'expérience, écrit à partir des enregistrements de la cellule de crise"
        " à ce jour :"
    ),
    "Improvement plan": "Plan d'amélioration",
    "No improvement action recorded.": "Aucune action d'amélioration enregistrée.",
    "No.": "N°",
    "Action": "Action",
    "Finding": "Constat",
    "Findings": "Constats",
    "Owner": "Responsable",
    "Recorded by": "Enregistré par",
    "No finding recorded.": "Aucun constat enregistré.",
    "planned": "prévue",
    "in progress": "en cours",
    "done": "réalisée",
    "dropped": "abandonnée",
    "late": "en retard",
    "went well": "a bien fonctionné",
    "to improve": "à améliorer",
    "Recorded with: relance review finding, relance review action.": (
        "Enregistrés avec : relance review finding, relance review action."
    ),
    "Accounts": "Comptes",
    "Sign in": "Se connecter",
    "Sign out": "Se déconnecter",
    "Replay": "Rejeu",
    "incident time": "heure de l'incident",
    "Login": "Identifiant",
    "Password": "Mot de passe",
    "Wrong login or password.": "Identifiant ou mot de passe incorrect.",
    "Next attempt possible in {wait}.": "Prochain essai possible dans {wait}.",
    (
        "Too many failed attempts for this account from this computer: try again in {wait},"
        " or ask the crisis lead for a new password."
    ): (
        "Trop d'essais manqués pour ce compte depuis cet ordinateur : réessayez dans {wait},"
        " ou demandez un nouveau mot de passe au responsable de crise."
    ),
    "Machines": "Machines",
    "Redeployed": "Redéployée",  # a machine's state
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
    "SMS may have been sent": "SMS peut-être envoyés",
    "Their requests may have reached the SMS gateway, but no answer was recorded. They are "
    "never sent again on their own: a patient told twice may act on both messages.": (
        "Leur demande a peut-être atteint la passerelle SMS, mais aucune réponse n'a été "
        "enregistrée. Ils ne sont jamais renvoyés d'eux-mêmes : un patient prévenu deux fois "
        "peut agir selon les deux messages."
    ),
    "What to do: run relance notify reconcile, which settles those that Kannel's access log "
    "traces; check the others with the gateway's operator (relance notify unknown lists them), "
    "then run relance notify settle with --as sent or --as not-sent and the reason. Not sent "
    "puts them back in the queue.": (
        "Que faire : lancez relance notify reconcile, qui règle ceux dont le journal d'accès de "
        "Kannel garde la trace ; vérifiez les autres avec l'exploitant de la passerelle "
        "(relance notify unknown les liste), puis lancez relance notify settle avec --as sent "
        "ou --as not-sent et le motif. « not-sent » les remet dans la file d'envoi."
    ),
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
    "API tokens": "Jetons d'API",
    "Token": "Jeton",
    "Created": "Créé le",
    "Expires": "Expire le",
    "Last used": "Dernier usage",
    "never": "jamais",
    "Revoke": "Révoquer",
    "No live API token.": "Aucun jeton d'API en cours de validité.",
    "Add": "Ajouter",
    "Disable": "Désactiver",
    "New password": "Nouveau mot de passe",
    "Change role": "Changer le rôle",
    "The password, shown once": "Le mot de passe, affiché une seule fois",
    "Refused": "Refusé",
    "Not possible": "Impossible",
    "Not found": "Introuvable",
    "Choose": "Choisir",
    "New time (reschedule only)": "Nouvelle heure (report uniquement)",
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
    # the clean-zone phone page (/scan)
    "Scan": "Scanner",
    "Scan a machine": "Scanner une machine",
    "Look up": "Chercher",
    "Photograph the label": "Photographier l'étiquette",
    "Scan with the camera": "Scanner avec la caméra",
    "Stop the camera": "Arrêter la caméra",
    "Reason (optional)": "Motif (facultatif)",
    "Evidence (optional; SHA-256 of the copy for Imaged)": (
        "Preuve (facultative ; SHA-256 de la copie pour « Imagée »)"
    ),
    "Next step": "Étape suivante",
    "Your role reads the machines but does not move them.": (
        "Votre rôle consulte les machines mais ne les fait pas avancer."
    ),
    "Send now": "Envoyer maintenant",
    "No step follows this state.": "Aucune étape ne suit cet état.",
    "Last steps": "Dernières étapes",
    "Looking up {host}…": "Recherche de {host}…",
    "Reading the label…": "Lecture de l'étiquette…",
    "This file is not a photo this phone can open.": (
        "Ce fichier n'est pas une photo que ce téléphone sait ouvrir."
    ),
    "No network: state as known on this phone at {when}.": (
        "Pas de réseau : état connu de ce téléphone à {when}."
    ),
    "No network, and {host} is not in this phone's copy: type it again when the network is back.": (
        "Pas de réseau, et {host} n'est pas dans la copie de ce téléphone : "
        "retapez-le au retour du réseau."
    ),
    "since {when}, by {by}": "depuis {when}, par {by}",
    "since {when}": "depuis {when}",
    "→ {state}": "→ {state}",
    "Tap again to confirm: {state}": "Touchez encore pour confirmer : {state}",
    "Imaged needs the SHA-256 of the forensic copy (64 hexadecimal characters) in Evidence.": (
        "« Imagée » demande le SHA-256 de la copie forensique (64 caractères hexadécimaux) "
        "dans Preuve."
    ),
    "Sending…": "Envoi…",
    "Recorded: {host} → {state}": "Enregistré : {host} → {state}",
    "Already recorded: {host} → {state}": "Déjà enregistré : {host} → {state}",
    "Refused: {why}": "Refusé : {why}",
    "No network: the step is kept on this phone and sent when the network is back.": (
        "Pas de réseau : l'étape est gardée sur ce téléphone et envoyée au retour du réseau."
    ),
    "{n} step(s) waiting to be sent": "{n} étape(s) en attente d'envoi",
    "Your session has ended: reload the page and sign in again "
    "(the waiting steps stay on this phone).": (
        "Votre session a pris fin : rechargez la page et reconnectez-vous "
        "(les étapes en attente restent sur ce téléphone)."
    ),
    "the server refused it (code {code})": "le serveur l'a refusée (code {code})",
    "The server did not answer properly: the steps wait; tell the IT lead if it lasts.": (
        "Le serveur n'a pas répondu correctement : les étapes attendent ; prévenez le "
        "responsable informatique si cela dure."
    ),
    "No label found in the photo: come closer, hold still, avoid reflections, or type the name.": (
        "Aucune étiquette trouvée sur la photo : approchez-vous, restez immobile, évitez les "
        "reflets, ou tapez le nom."
    ),
    "This QR code is not a machine's label: {text}": (
        "Ce code QR n'est pas l'étiquette d'une machine : {text}"
    ),
    "No network to read the photo: type the name (this phone knows the machines of your sites).": (
        "Pas de réseau pour lire la photo : tapez le nom (ce téléphone connaît les machines de "
        "vos sites)."
    ),
    "{n} labels in the photo: photograph only one.": (
        "{n} étiquettes sur la photo : n'en photographiez qu'une."
    ),
    "{host}: unknown machine on your sites. Check the name.": (
        "{host} : machine inconnue sur vos sites. Vérifiez le nom."
    ),
    "{host}: not recorded, its state moved meanwhile: now {now} "
    "(since {since}, by {by}), not {seen}. Look at the machine again.": (
        "{host} : non enregistré, son état a changé entre-temps : maintenant {now} "
        "(depuis {since}, par {by}), et non plus {seen}. Revoyez la machine."
    ),
    "this step waited too long on the phone: look at the machine again": (
        "cette étape a attendu trop longtemps sur le téléphone : revoyez la machine"
    ),
    "this step's number is taken by another change: tap the step again": (
        "le numéro de cette étape est pris par un autre changement : touchez l'étape à nouveau"
    ),
    "Send a photo (JPEG or PNG).": "Envoyez une photo (JPEG ou PNG).",
    "The photo is too large: send a smaller one.": (
        "La photo est trop grande : envoyez-en une plus petite."
    ),
    "not a photo that can be read (PNG or JPEG)": "pas une photo lisible (PNG ou JPEG)",
    "the photo is too large: send a smaller one": (
        "la photo est trop grande : envoyez-en une plus petite"
    ),
    # the states of a machine, as AssetState.label writes them
    "Compromised": "Compromise",
    "Isolated": "Isolée",
    "Imaged (forensic copy kept)": "Imagée (copie forensique gardée)",
    "Reimaged": "Réinstallée",
    "Validated (scanned clean)": "Validée (analyse saine)",
    "In the clean zone": "En zone propre",
    "Decommissioned": "Retirée du service",
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
