"""The words of the ward sheets and the call list in French (first), English, Dutch, German.

One line per text with its four translations side by side, so that a reviewer reads them
together; a test checks that every text has all four and the same {placeholders}.
"""

import unicodedata
from datetime import datetime
from enum import StrEnum


class Language(StrEnum):
    FR = "fr"
    EN = "en"
    NL = "nl"
    DE = "de"


# Each text in French, English, Dutch and German, in that order.
TEXTS: dict[str, tuple[str, str, str, str]] = {
    "title": (
        "Feuille de soins de secours",
        "Downtime care sheet",
        "Noodzorgblad",
        "Notfall-Pflegeblatt",
    ),
    "as_of": ("ÉTAT AU {when}", "AS OF {when}", "STAND OP {when}", "STAND {when}"),
    "as_of_note": (
        "Ce qui a été prescrit ou donné après cette heure n'y figure pas.",
        "Anything prescribed or given after this time is not on this sheet.",
        "Wat na dit uur is voorgeschreven of gegeven, staat hier niet op.",
        "Was nach dieser Uhrzeit verordnet oder gegeben wurde, fehlt hier.",
    ),
    "page": ("page {n}/{total}", "page {n}/{total}", "pagina {n}/{total}", "Seite {n}/{total}"),
    "confidential": (
        "Confidentiel : données de santé. À détruire après usage.",
        "Confidential health data. Destroy after use.",
        "Vertrouwelijke gezondheidsgegevens. Na gebruik vernietigen.",
        "Vertrauliche Gesundheitsdaten. Nach Gebrauch vernichten.",
    ),
    "ward_summary": (
        "{patients} patients · {orders} prescriptions actives",
        "{patients} patients · {orders} active orders",
        "{patients} patiënten · {orders} actieve voorschriften",
        "{patients} Patienten · {orders} aktive Verordnungen",
    ),
    "bed": ("LIT", "BED", "BED", "BETT"),
    "born": (
        "né(e) le {date} ({age})",
        "born {date} ({age})",
        "geboren {date} ({age})",
        "geb. {date} ({age})",
    ),
    "age_years": ("{n} ans", "{n} y", "{n} j", "{n} J."),
    "age_months": ("{n} mois", "{n} mo", "{n} mnd", "{n} Mon."),
    "sex_female": ("F", "F", "V", "W"),
    "sex_male": ("M", "M", "M", "M"),
    "sex_other": ("X", "X", "X", "X"),
    "language": ("langue {code}", "language {code}", "taal {code}", "Sprache {code}"),
    "admitted": ("admis le {date}", "admitted {date}", "opgenomen {date}", "aufgenommen {date}"),
    "number": ("N° {id}", "No. {id}", "Nr. {id}", "Nr. {id}"),
    "continued": ("(suite)", "(continued)", "(vervolg)", "(Fortsetzung)"),
    "on_leave": ("EN CONGÉ", "ON LEAVE", "MET VERLOF", "BEURLAUBT"),
    "allergies": ("ALLERGIES :", "ALLERGIES:", "ALLERGIEËN:", "ALLERGIEN:"),
    "no_known_allergy": (
        "Allergies : aucune connue",
        "Allergies: none known",
        "Allergieën: geen gekend",
        "Allergien: keine bekannt",
    ),
    "allergies_not_recorded": (
        "Allergies : non renseignées dans l'export, à demander",
        "Allergies: not recorded in the export, ask",
        "Allergieën: niet in de export, navragen",
        "Allergien: nicht im Export, nachfragen",
    ),
    "high_risk": ("risque élevé", "high risk", "hoog risico", "hohes Risiko"),
    "unverified": ("à vérifier", "to check", "na te kijken", "zu prüfen"),
    "substance_unknown": (
        "substance non précisée",
        "substance not given",
        "stof niet vermeld",
        "Stoff nicht angegeben",
    ),
    "problems": (
        "Problèmes actifs :",
        "Active problems:",
        "Actieve problemen:",
        "Aktive Probleme:",
    ),
    "none": ("aucun dans l'export", "none in the export", "geen in de export", "keine im Export"),
    "medication": ("Médicament", "Medication", "Geneesmiddel", "Medikament"),
    "dose_route": ("Dose · voie", "Dose · route", "Dosis · weg", "Dosis · Weg"),
    "schedule": ("Horaire", "Schedule", "Schema", "Schema"),
    "last_given": ("Dernière prise", "Last given", "Laatst gegeven", "Zuletzt gegeben"),
    "no_order": (
        "Aucune prescription active dans l'export",
        "No active order in the export",
        "Geen actief voorschrift in de export",
        "Keine aktive Verordnung im Export",
    ),
    "as_needed": ("SI BESOIN", "AS NEEDED", "INDIEN NODIG", "BEI BEDARF"),
    "max": ("max {value}", "max {value}", "max {value}", "max. {value}"),
    "times_per_day": ("{n}x/jour", "{n}x/day", "{n}x/dag", "{n}x/Tag"),
    "every_hours": ("toutes les {n} h", "every {n} h", "elke {n} u", "alle {n} Std."),
    "every_minutes": ("toutes les {n} min", "every {n} min", "elke {n} min", "alle {n} Min."),
    "every_days": ("tous les {n} jours", "every {n} days", "om de {n} dagen", "alle {n} Tage"),
    "times_per_week": ("{n}x/semaine", "{n}x/week", "{n}x/week", "{n}x/Woche"),
    "every_weeks": (
        "toutes les {n} semaines",
        "every {n} weeks",
        "om de {n} weken",
        "alle {n} Wochen",
    ),
    "monthly": ("tous les {n} mois", "every {n} months", "om de {n} maanden", "alle {n} Monate"),
    "yearly": ("tous les {n} ans", "every {n} years", "om de {n} jaar", "alle {n} Jahre"),
    "at": ("à {times}", "at {times}", "om {times}", "um {times}"),
    "on_days": ("le {days}", "on {days}", "op {days}", "am {days}"),
    "weekdays": (
        "lun mar mer jeu ven sam dim",
        "Mon Tue Wed Thu Fri Sat Sun",
        "ma di wo do vr za zo",
        "Mo Di Mi Do Fr Sa So",
    ),
    "from": ("depuis le {when}", "from {when}", "vanaf {when}", "ab {when}"),
    "until": ("jusqu'au {when}", "until {when}", "tot {when}", "bis {when}"),
    "count": (
        "{n} doses au total",
        "{n} doses in all",
        "{n} dosissen in totaal",
        "{n} Dosen insgesamt",
    ),
    "continuous": ("PERFUSION CONTINUE", "CONTINUOUS INFUSION", "CONTINU INFUUS", "DAUERINFUSION"),
    "rate": ("débit {rate}", "rate {rate}", "debiet {rate}", "Rate {rate}"),
    "no_schedule": (
        "horaire non précisé : voir la prescription",
        "no schedule given: see the order",
        "geen schema: zie voorschrift",
        "kein Schema: siehe Verordnung",
    ),
    "timing_unreadable": (
        "HORAIRE ILLISIBLE : voir la prescription",
        "UNREADABLE SCHEDULE: see the order",
        "SCHEMA ONLEESBAAR: zie voorschrift",
        "SCHEMA UNLESBAR: siehe Verordnung",
    ),
    "order_unreadable": (
        "PRESCRIPTION ILLISIBLE : à vérifier",
        "UNREADABLE ORDER: check it",
        "VOORSCHRIFT ONLEESBAAR: nakijken",
        "VERORDNUNG UNLESBAR: prüfen",
    ),
    "medication_unknown": (
        "médicament non précisé",
        "medication not given",
        "geneesmiddel niet vermeld",
        "Medikament nicht angegeben",
    ),
    "other_given": (
        "Autres administrations (24 h) :",
        "Other doses given (24 h):",
        "Andere toedieningen (24 u):",
        "Weitere Gaben (24 h):",
    ),
    "check": ("À VÉRIFIER :", "CHECK:", "NAKIJKEN:", "PRÜFEN:"),
    "identity_unreadable": (
        "IDENTITÉ ILLISIBLE DANS L'EXPORT : vérifier le bracelet",
        "IDENTITY UNREADABLE IN THE EXPORT: check the wristband",
        "IDENTITEIT ONLEESBAAR IN DE EXPORT: polsbandje nakijken",
        "IDENTITÄT IM EXPORT UNLESBAR: Armband prüfen",
    ),
    "no_ward": ("Service inconnu", "Unknown ward", "Onbekende afdeling", "Unbekannte Station"),
    "cover_title": (
        "Instantané de secours : sommaire",
        "Downtime snapshot: contents",
        "Noodmomentopname: inhoud",
        "Notfall-Momentaufnahme: Inhalt",
    ),
    "cover_source": (
        "Heure des données : {when} ({source}). Instantané fait le {built}.",
        "Data time: {when} ({source}). Snapshot made {built}.",
        "Tijd van de gegevens: {when} ({source}). Momentopname gemaakt {built}.",
        "Zeit der Daten: {when} ({source}). Momentaufnahme erstellt {built}.",
    ),
    "source_--as-of": ("option --as-of", "--as-of option", "optie --as-of", "Option --as-of"),
    "source_transactionTime": (
        "transactionTime de l'export",
        "the export's transactionTime",
        "transactionTime van de export",
        "transactionTime des Exports",
    ),
    "source_meta.lastUpdated": (
        "meta.lastUpdated le plus récent",
        "newest meta.lastUpdated",
        "recentste meta.lastUpdated",
        "neuestes meta.lastUpdated",
    ),
    "cover_counts": (
        "{inpatients} patients hospitalisés sur {wards} services, {orders} prescriptions actives. "
        "{patients} patients dans l'export, {resources} ressources lues.",
        "{inpatients} inpatients over {wards} wards, {orders} active orders. "
        "{patients} patients in the export, {resources} resources read.",
        "{inpatients} opgenomen patiënten op {wards} afdelingen, {orders} actieve voorschriften. "
        "{patients} patiënten in de export, {resources} gelezen resources.",
        "{inpatients} stationäre Patienten auf {wards} Stationen, {orders} aktive Verordnungen. "
        "{patients} Patienten im Export, {resources} Ressourcen gelesen.",
    ),
    "cover_outpatients": (
        "{n} prescriptions actives de patients non hospitalisés ne sont pas imprimées.",
        "{n} active orders of patients not in a bed are not printed.",
        "{n} actieve voorschriften van niet-opgenomen patiënten zijn niet afgedrukt.",
        "{n} aktive Verordnungen nicht stationärer Patienten sind nicht gedruckt.",
    ),
    "cover_wards": ("Services", "Wards", "Afdelingen", "Stationen"),
    "cover_ward_row": (
        "{code} : {name} ({site}), {patients} patients",
        "{code}: {name} ({site}), {patients} patients",
        "{code}: {name} ({site}), {patients} patiënten",
        "{code}: {name} ({site}), {patients} Patienten",
    ),
    "cover_flagged": (
        "Patients imprimés avec des données à vérifier",
        "Patients printed with data to check",
        "Afgedrukte patiënten met na te kijken gegevens",
        "Gedruckte Patienten mit zu prüfenden Daten",
    ),
    "cover_unattached": (
        "Problèmes sans patient imprimé (séjours, prescriptions ou lignes sans patient connu)",
        "Problems of no printed patient (stays, orders or lines without a known patient)",
        "Problemen zonder afgedrukte patiënt (verblijven, voorschriften of regels zonder patiënt)",
        "Probleme ohne gedruckten Patienten (Aufenthalte, Verordnungen, Zeilen ohne Patient)",
    ),
    "cover_no_problem": (
        "Aucun problème dans les données.",
        "No problem in the data.",
        "Geen problemen in de gegevens.",
        "Keine Probleme in den Daten.",
    ),
    "cover_none": (
        "Aucun patient hospitalisé dans l'export (séjour de classe IMP en cours).",
        "No inpatient in the export (IMP encounter in progress).",
        "Geen opgenomen patiënt in de export (lopend IMP-verblijf).",
        "Kein stationärer Patient im Export (laufender IMP-Aufenthalt).",
    ),
    "cover_patient": (
        "{ward} lit {bed} : {name} ({id})",
        "{ward} bed {bed}: {name} ({id})",
        "{ward} bed {bed}: {name} ({id})",
        "{ward} Bett {bed}: {name} ({id})",
    ),
    "ward_problems": (
        "Données à vérifier dans ce service : voir les patients marqués À VÉRIFIER.",
        "Data to check on this ward: see the patients marked CHECK.",
        "Na te kijken gegevens op deze afdeling: zie patiënten met NAKIJKEN.",
        "Zu prüfende Daten auf dieser Station: siehe Patienten mit PRÜFEN.",
    ),
    "midnight": ("minuit", "midnight", "middernacht", "Mitternacht"),
    # The secretariat's call list
    "call_title": (
        "Liste d'appels du secrétariat",
        "Secretariat call list",
        "Bellijst van het secretariaat",
        "Anrufliste des Sekretariats",
    ),
    "call_summary": (
        "{patients} patients à appeler",
        "{patients} patients to phone",
        "{patients} patiënten te bellen",
        "{patients} Patienten anzurufen",
    ),
    "call_as_of_note": (
        "Les décisions prises après cette heure n'y figurent pas.",
        "Decisions taken after this time are not on this list.",
        "Beslissingen genomen na dit uur staan er niet op.",
        "Nach dieser Uhrzeit getroffene Entscheidungen fehlen hier.",
    ),
    "call_none": (
        "Aucun patient à appeler.",
        "No patient to phone.",
        "Geen patiënt te bellen.",
        "Kein Patient anzurufen.",
    ),
    "call_group": (
        "Site {site} · {day}",
        "Site {site} · {day}",
        "Locatie {site} · {day}",
        "Standort {site} · {day}",
    ),
    "call_time": ("Heure", "Time", "Uur", "Uhrzeit"),
    "call_patient": ("Patient", "Patient", "Patiënt", "Patient"),
    "call_phone": ("Téléphone", "Phone", "Telefoon", "Telefon"),
    "call_appointment": ("Rendez-vous", "Appointment", "Afspraak", "Termin"),
    "call_decision": ("Décision", "Decision", "Beslissing", "Entscheidung"),
    "call_reason": ("Motif", "Reason", "Reden", "Grund"),
    "call_outcome": (
        "Appelé · résultat",
        "Called · outcome",
        "Gebeld · resultaat",
        "Angerufen · Ergebnis",
    ),
    "call_no_number": ("AUCUN NUMÉRO", "NO NUMBER", "GEEN NUMMER", "KEINE NUMMER"),
    "decision_maintain": ("maintenu", "maintained", "behouden", "findet statt"),
    "decision_cancel": ("annulé", "cancelled", "geannuleerd", "abgesagt"),
    "decision_reschedule": ("reporté", "rescheduled", "verplaatst", "verschoben"),
    "decision_review": ("avis médical", "physician review", "medisch advies", "ärztliche Prüfung"),
    "decision_phone": ("appel demandé", "call requested", "bellen gevraagd", "Anruf erbeten"),
}
WHEN: dict[str, tuple[str, str, str, str]] = {
    "MORN": ("matin", "morning", "'s ochtends", "morgens"),
    "MORN.early": ("tôt le matin", "early morning", "vroeg 's ochtends", "frühmorgens"),
    "MORN.late": ("fin de matinée", "late morning", "laat in de ochtend", "vormittags"),
    "NOON": ("midi", "noon", "'s middags", "mittags"),
    "AFT": ("après-midi", "afternoon", "namiddag", "nachmittags"),
    "AFT.early": ("début d'après-midi", "early afternoon", "vroege namiddag", "früher Nachmittag"),
    "AFT.late": ("fin d'après-midi", "late afternoon", "late namiddag", "später Nachmittag"),
    "EVE": ("soir", "evening", "'s avonds", "abends"),
    "EVE.early": ("début de soirée", "early evening", "vroege avond", "früher Abend"),
    "EVE.late": ("fin de soirée", "late evening", "late avond", "später Abend"),
    "NIGHT": ("nuit", "night", "'s nachts", "nachts"),
    "PHS": ("après le coucher", "after sleep", "na het slapengaan", "nach dem Einschlafen"),
    "HS": ("au coucher", "at bedtime", "bij het slapengaan", "zur Nacht"),
    "WAKE": ("au réveil", "on waking", "bij het ontwaken", "nach dem Aufwachen"),
    "C": ("aux repas", "with meals", "bij de maaltijden", "zu den Mahlzeiten"),
    "CM": ("au petit-déjeuner", "with breakfast", "bij het ontbijt", "zum Frühstück"),
    "CD": ("au dîner (midi)", "with lunch", "bij het middagmaal", "zum Mittagessen"),
    "CV": ("au souper", "with dinner", "bij het avondmaal", "zum Abendessen"),
    "AC": ("avant les repas", "before meals", "voor de maaltijden", "vor den Mahlzeiten"),
    "ACM": ("avant le petit-déjeuner", "before breakfast", "voor het ontbijt", "vor dem Frühstück"),
    "ACD": ("avant le dîner (midi)", "before lunch", "voor het middagmaal", "vor dem Mittagessen"),
    "ACV": ("avant le souper", "before dinner", "voor het avondmaal", "vor dem Abendessen"),
    "PC": ("après les repas", "after meals", "na de maaltijden", "nach den Mahlzeiten"),
    "PCM": ("après le petit-déjeuner", "after breakfast", "na het ontbijt", "nach dem Frühstück"),
    "PCD": ("après le dîner (midi)", "after lunch", "na het middagmaal", "nach dem Mittagessen"),
    "PCV": ("après le souper", "after dinner", "na het avondmaal", "nach dem Abendessen"),
}
DATE_TIME = {"fr": "%d/%m %H:%M", "en": "%d/%m %H:%M", "nl": "%d/%m %H:%M", "de": "%d.%m. %H:%M"}
DATE = {"fr": "%d/%m/%Y", "en": "%d/%m/%Y", "nl": "%d/%m/%Y", "de": "%d.%m.%Y"}
# Letters no standard PDF font has, to their closest Latin-1 letter (NFKD does the accents).
LATIN = str.maketrans({"Ł": "L", "ł": "l", "Đ": "D", "đ": "d", "\u0131": "i", "Ø": "O", "ø": "o"})


class Labels:
    """The texts of one language: labels("as_of", when="14/05 01:15")."""

    def __init__(self, language: Language) -> None:
        self.language = language
        self._column = list(Language).index(language)

    def __call__(self, key: str, **values: object) -> str:
        return TEXTS[key][self._column].format(**values)

    def when(self, code: str) -> str:
        return WHEN[code][self._column] if code in WHEN else code

    def moment(self, value: datetime) -> str:
        return value.strftime(DATE_TIME[self.language])

    def date(self, value: datetime) -> str:
        return value.strftime(DATE[self.language])

    def weekday(self, index: int) -> str:
        return self("weekdays").split()[index]

    def number(self, text: str) -> str:
        """Decimal commas in French, Dutch and German: 0.5 mg -> 0,5 mg."""
        if self.language == Language.EN:
            return text
        return "".join(
            ","
            if c == "."
            and 0 < i < len(text) - 1
            and text[i - 1].isdigit()
            and text[i + 1].isdigit()
            else c
            for i, c in enumerate(text)
        )


def printable(text: str) -> str:
    """Text the standard PDF fonts can show (Windows-1252): other letters lose their accent."""
    try:
        text.encode("cp1252")
    except UnicodeEncodeError:
        pass
    else:
        return text
    out = []
    for char in text.translate(LATIN):
        try:
            char.encode("cp1252")
            out.append(char)
        except UnicodeEncodeError:
            base = unicodedata.normalize("NFKD", char).encode("cp1252", "ignore").decode("cp1252")
            out.append(base or "?")
    return "".join(out)
