"""What the vivalia-2022 inpatient census is made of: wards, names, a ward formulary, allergies,
problems. Plausible, not real: no name or treatment here comes from a real patient.

A medication line is (name, ATC code, dose, unit, route, timing, share of the ward's patients);
the timing is a FHIR Timing.repeat, with "prn" for as-needed and "bounds" to start the rule from
a first dose (antibiotics every 8 hours, a patch every 3 days).
"""

from dataclasses import dataclass, field
from typing import Any

SITES = {
    "ARL": "Hôpital d'Arlon",
    "MAR": "Hôpital de Marche-en-Famenne",
    "LIB": "Hôpital de Libramont",
    "BAS": "Hôpital de Bastogne",
    "VIR": "Hôpital de Virton",
}
WARD_NAMES = {
    "MINT": "Médecine interne",
    "CARD": "Cardiologie",
    "PNEU": "Pneumologie",
    "GAST": "Gastro-entérologie",
    "NEUR": "Neurologie",
    "NEPH": "Néphrologie",
    "GERI": "Gériatrie",
    "CHIR": "Chirurgie générale",
    "ORTH": "Orthopédie",
    "USI": "Soins intensifs",
    "MAT": "Maternité",
    "PED": "Pédiatrie",
    "ONCO": "Oncologie",
    "COVID": "Unité Covid",
    "PSY": "Psychiatrie",
    "REV": "Revalidation",
    "PAL": "Soins palliatifs",
}
WARDS = {  # 40 wards over the five hospitals
    "ARL": ["MINT", "CARD", "PNEU", "GAST", "GERI", "CHIR", "ORTH", "USI", "MAT"],
    "MAR": ["MINT", "CARD", "PNEU", "NEUR", "GERI", "CHIR", "ORTH", "USI", "PED", "ONCO", "COVID"],
    "LIB": ["MINT", "CARD", "NEPH", "GERI", "CHIR", "ORTH", "USI", "MAT", "PED", "PSY"],
    "BAS": ["MINT", "GERI", "CHIR", "USI", "REV"],
    "VIR": ["MINT", "GERI", "CHIR", "USI", "PAL"],
}
SMALL_WARDS = {"USI": 0.45, "PAL": 0.5, "PED": 0.7, "MAT": 0.8}  # beds relative to a ward
AGES = {  # (youngest, oldest, mode)
    "MAT": (18, 43, 31),
    "PED": (0, 16, 4),
    "GERI": (75, 99, 86),
    "PAL": (45, 98, 78),
    "PSY": (18, 85, 42),
}
ADULT_AGES = (20, 97, 76)

FAMILY_NAMES: dict[str, tuple[str, ...]] = {
    "fr": (
        "Lambert",
        "Dubois",
        "Martin",
        "Simon",
        "Laurent",
        "Collard",
        "Thiry",
        "Goffin",
        "Lejeune",
        "Pirotte",
        "Gérard",
        "Leclercq",
        "Renard",
        "Mathieu",
        "Jacquemin",
        "Henrotte",
        "Marchal",
        "Lecomte",
        "Wilmotte",
        "Poncelet",
        "Dupont",
        "Hubert",
        "François",
        "Noël",
        "Rossignon",
        "Burnotte",
        "Lallemand",
        "Closset",
        "Pierret",
        "Gillet",
        "Hardy",
        "Léonard",
        "Bodson",
        "Michaux",
        "Neuville",
        "Georges",
        "Toussaint",
        "Masson",
        "Antoine",
        "Crémer",
    ),
    "nl": (
        "Peeters",
        "Janssens",
        "Maes",
        "Jacobs",
        "Mertens",
        "Willems",
        "Claes",
        "Goossens",
        "Wouters",
        "De Smet",
        "Van den Broeck",
        "Dumont",
        "Verstraeten",
        "Hermans",
        "Vermeulen",
    ),
    "de": (
        "Müller",
        "Schmitz",
        "Weber",
        "Schneider",
        "Hoffmann",
        "Krings",
        "Heinen",
        "Kessler",
        "Meyer",
        "Wagner",
        "Lentz",
        "Thill",
        "Kohnen",
        "Schröder",
    ),
}
GIVEN_NAMES: dict[tuple[str, str], tuple[str, ...]] = {
    ("fr", "female"): (
        "Marie",
        "Anne",
        "Monique",
        "Christiane",
        "Nicole",
        "Josiane",
        "Françoise",
        "Jacqueline",
        "Martine",
        "Isabelle",
        "Nathalie",
        "Sophie",
        "Julie",
        "Camille",
        "Léa",
        "Emma",
        "Chloé",
        "Élise",
        "Bernadette",
        "Gisèle",
        "Renée",
        "Andrée",
    ),
    ("fr", "male"): (
        "Jean",
        "Pierre",
        "Michel",
        "André",
        "Jacques",
        "Philippe",
        "Marc",
        "Luc",
        "Joseph",
        "Henri",
        "René",
        "Claude",
        "Daniel",
        "Alain",
        "Thomas",
        "Nicolas",
        "Hugo",
        "Louis",
        "Noah",
        "Arthur",
        "Émile",
        "Benoît",
    ),
    ("nl", "female"): (
        "Maria",
        "Annemie",
        "Els",
        "Griet",
        "Lotte",
        "Sofie",
        "Hilde",
        "Marleen",
        "Fien",
    ),
    ("nl", "male"): (
        "Jan",
        "Luc",
        "Dirk",
        "Bart",
        "Wouter",
        "Pieter",
        "Jef",
        "Koen",
        "Stijn",
    ),
    ("de", "female"): (
        "Anna",
        "Maria",
        "Ursula",
        "Helga",
        "Monika",
        "Petra",
        "Sabine",
        "Jana",
    ),
    ("de", "male"): (
        "Hans",
        "Peter",
        "Klaus",
        "Jürgen",
        "Günter",
        "Stefan",
        "Lukas",
        "Jonas",
    ),
}
LANGUAGES = ("fr", "de", "nl")
LANGUAGE_SHARES = (0.82, 0.10, 0.08)


@dataclass(frozen=True)
class Drug:
    name: str
    atc: str
    dose: float | None
    unit: str
    route: str
    timing: dict[str, Any] = field(default_factory=dict)
    share: float = 0.3
    text: str = ""  # the prescriber's free text, when the dose is not a quantity
    rate: tuple[float, str] | None = None  # a continuous infusion's rate: (42, "mL/h")


def _d(*args: Any, **kw: Any) -> Drug:
    return Drug(*args, **kw)


DAILY = {"frequency": 1, "period": 1, "periodUnit": "d"}
BID = {"frequency": 2, "period": 1, "periodUnit": "d"}
TID = {"frequency": 3, "period": 1, "periodUnit": "d"}
QID = {"frequency": 4, "period": 1, "periodUnit": "d"}


def every(hours: float, **more: Any) -> dict[str, Any]:
    return {"frequency": 1, "period": hours, "periodUnit": "h", **more}


def at(*times: str) -> dict[str, Any]:
    return {"timeOfDay": [f"{t}:00" for t in times]}


def when(*codes: str) -> dict[str, Any]:
    return {"when": list(codes)}


PRN = {"prn": True}
COMMON = [
    _d("Paracétamol", "N02BE01", 1, "g", "PO", QID, 0.45),
    _d("Paracétamol", "N02BE01", 1, "g", "IV", {**every(6), **PRN, "max": (4, "g")}, 0.2),
    _d("Énoxaparine", "B01AB05", 40, "mg", "SC", at("20:00"), 0.45),
    _d("Pantoprazole", "A02BC02", 40, "mg", "PO", when("ACM"), 0.3),
    _d("Macrogol", "A06AD15", 10, "g", "PO", when("MORN"), 0.15),
    _d("Morphine", "N02AA01", 2, "mg", "SC", {**every(4), **PRN, "max": (6, "doses")}, 0.12),
    _d("Ondansétron", "A04AA01", 4, "mg", "IV", {**every(8), **PRN, "reason": "nausées"}, 0.12),
    _d("Lorazépam", "N05BA06", 1, "mg", "PO", {**when("HS"), **PRN, "reason": "insomnie"}, 0.08),
    _d("NaCl 0,9 %", "B05BB01", 1000, "mL", "IV", {}, 0.12, rate=(42, "mL/h")),
]
WARD_DRUGS: dict[str, list[Drug]] = {
    "MINT": [
        _d("Amoxicilline-acide clavulanique", "J01CR02", 1, "g", "IV", every(8, bounds=True)),
        _d("Insuline asparte", "A10AB05", None, "", "SC", when("AC"), 0.2, "selon glycémie"),
        _d("Insuline glargine", "A10AE04", 18, "UI", "SC", at("22:00"), 0.15),
        _d("Metformine", "A10BA02", 850, "mg", "PO", when("CM", "CV"), 0.15),
        _d("Furosémide", "C03CA01", 40, "mg", "PO", when("MORN"), 0.25),
        _d(
            "Méthotrexate",
            "L04AX03",
            15,
            "mg",
            "PO",
            {**DAILY, "periodUnit": "wk", "dayOfWeek": ["mon"]},
            0.03,
        ),
    ],
    "CARD": [
        _d("Bisoprolol", "C07AB07", 2.5, "mg", "PO", when("MORN"), 0.6),
        _d("Furosémide", "C03CA01", 40, "mg", "IV", at("08:00", "14:00"), 0.45),
        _d("Atorvastatine", "C10AA05", 40, "mg", "PO", when("EVE"), 0.5),
        _d("Ramipril", "C09AA05", 5, "mg", "PO", when("MORN"), 0.35),
        _d("Apixaban", "B01AF02", 5, "mg", "PO", BID, 0.3),
        _d("Digoxine", "C01AA05", 0.125, "mg", "PO", DAILY, 0.08),
    ],
    "PNEU": [
        _d("Amoxicilline-acide clavulanique", "J01CR02", 1, "g", "IV", every(8, bounds=True)),
        _d("Ceftriaxone", "J01DD04", 2, "g", "IV", DAILY, 0.25),
        _d("Prednisolone", "H02AB06", 32, "mg", "PO", when("MORN"), 0.35),
        _d("Salbutamol", "R03AC02", 2.5, "mg", "nébulisation", QID, 0.45),
        _d("Ipratropium", "R03BB01", 0.5, "mg", "nébulisation", QID, 0.35),
    ],
    "GAST": [
        _d("Pantoprazole", "A02BC02", 40, "mg", "IV", BID, 0.5),
        _d("Métoclopramide", "A03FA01", 10, "mg", "IV", TID, 0.3),
        _d("Lactulose", "A06AD11", 15, "mL", "PO", TID, 0.25),
    ],
    "NEUR": [
        _d("Lévétiracétam", "N03AX14", 500, "mg", "PO", every(12), 0.35),
        _d("Acide acétylsalicylique", "B01AC06", 80, "mg", "PO", when("CD"), 0.45),
        _d("Atorvastatine", "C10AA05", 40, "mg", "PO", when("EVE"), 0.4),
    ],
    "NEPH": [
        _d(
            "Darbépoétine alfa",
            "B03XA02",
            40,
            "µg",
            "SC",
            {**DAILY, "periodUnit": "wk", "dayOfWeek": ["wed"]},
            0.3,
        ),
        _d("Sevelamer", "V03AE02", 800, "mg", "PO", when("C"), 0.35),
        _d("Furosémide", "C03CA01", 80, "mg", "PO", when("MORN"), 0.4),
    ],
    "GERI": [
        _d("Lévothyroxine", "H03AA01", 50, "µg", "PO", when("MORN.early"), 0.2),
        _d("Donépézil", "N06DA02", 5, "mg", "PO", when("HS"), 0.2),
        _d("Quétiapine", "N05AH04", 25, "mg", "PO", when("HS"), 0.15),
        _d("Calcium + vitamine D3", "A12AX", 1, "comprimé", "PO", when("CD"), 0.3),
        _d("Furosémide", "C03CA01", 40, "mg", "PO", when("MORN"), 0.3),
    ],
    "CHIR": [
        _d("Céfazoline", "J01DB04", 2, "g", "IV", every(8, bounds=True, count=3), 0.35),
        _d("Tramadol", "N02AX02", 50, "mg", "PO", {**every(6), **PRN}, 0.4),
        _d("Oxycodone", "N02AA05", 10, "mg", "PO", every(12, bounds=True), 0.2),
    ],
    "ORTH": [
        _d("Céfazoline", "J01DB04", 2, "g", "IV", every(8, bounds=True, count=3), 0.35),
        _d("Oxycodone", "N02AA05", 10, "mg", "PO", every(12, bounds=True), 0.35),
        _d("Ibuprofène", "M01AE01", 400, "mg", "PO", TID, 0.3),
    ],
    "USI": [
        _d("Noradrénaline", "C01CA03", None, "", "IV", {}, 0.4, "selon PAM", (0.1, "µg/kg/min")),
        _d("Propofol", "N01AX10", None, "", "IV", {}, 0.3, "sédation", (10, "mL/h")),
        _d("Pipéracilline-tazobactam", "J01CR05", 4, "g", "IV", every(6, bounds=True), 0.4),
        _d("Vancomycine", "J01XA01", 1, "g", "IV", every(12, bounds=True), 0.2),
        _d("Pantoprazole", "A02BC02", 40, "mg", "IV", DAILY, 0.6),
    ],
    "MAT": [
        _d("Ibuprofène", "M01AE01", 400, "mg", "PO", TID, 0.5),
        _d("Sulfate ferreux", "B03AA07", 105, "mg", "PO", when("CM"), 0.3),
    ],
    "PED": [
        _d("Paracétamol sirop", "N02BE01", 250, "mg", "PO", every(6), 0.5),
        _d("Amoxicilline", "J01CA04", 500, "mg", "PO", TID, 0.3),
        _d("Salbutamol", "R03AC02", 2.5, "mg", "nébulisation", QID, 0.2),
    ],
    "ONCO": [
        _d("Dexaméthasone", "H02AB02", 8, "mg", "PO", when("MORN"), 0.4),
        _d("Ondansétron", "A04AA01", 8, "mg", "PO", every(12), 0.4),
        _d(
            "Fentanyl patch",
            "N02AB03",
            25,
            "µg/h",
            "transdermique",
            {"frequency": 1, "period": 3, "periodUnit": "d", "bounds": True},
            0.25,
        ),
    ],
    "COVID": [
        _d("Dexaméthasone", "H02AB02", 6, "mg", "IV", DAILY, 0.6),
        _d("Énoxaparine", "B01AB05", 40, "mg", "SC", every(12), 0.4),
    ],
    "PSY": [
        _d("Sertraline", "N06AB06", 50, "mg", "PO", when("MORN"), 0.35),
        _d("Olanzapine", "N05AH03", 10, "mg", "PO", when("HS"), 0.3),
        _d("Quétiapine", "N05AH04", 100, "mg", "PO", when("HS"), 0.25),
    ],
    "REV": [
        _d(
            "Cholécalciférol",
            "A11CC05",
            25000,
            "UI",
            "PO",
            {**DAILY, "periodUnit": "wk", "dayOfWeek": ["sun"]},
            0.3,
        ),
        _d("Tramadol", "N02AX02", 50, "mg", "PO", {**every(6), **PRN}, 0.3),
    ],
    "PAL": [
        _d("Morphine", "N02AA01", 10, "mg", "SC", every(4), 0.6),
        _d("Midazolam", "N05CD08", 2.5, "mg", "SC", {**every(2), **PRN, "reason": "angoisse"}),
        _d("Halopéridol", "N05AD01", 1, "mg", "SC", {**every(8), **PRN, "reason": "agitation"}),
        _d("Butylbromure d'hyoscine", "A03BB01", 20, "mg", "SC", {**every(6), **PRN}, 0.3),
    ],
}
# (substance, reaction, criticality, share of patients)
ALLERGIES = [
    ("Pénicillines", "Anaphylaxie", "high", 0.05),
    ("Amoxicilline", "Urticaire", "low", 0.04),
    ("Produits de contraste iodés", "Œdème de Quincke", "high", 0.04),
    ("Latex", "Eczéma de contact", "low", 0.02),
    ("Ibuprofène", "Bronchospasme", "high", 0.03),
    ("Codéine", "Vomissements", "low", 0.02),
    ("Arachide", "Anaphylaxie", "high", 0.01),
    ("Sulfamides", "Éruption cutanée", "low", 0.02),
]
NO_KNOWN_ALLERGY_SHARE = 0.3
CONDITIONS = {
    "*": [
        "Hypertension artérielle",
        "Diabète de type 2",
        "Fibrillation auriculaire",
        "Insuffisance rénale chronique",
        "BPCO",
        "Dénutrition",
    ],
    "MINT": ["Pneumonie", "Pyélonéphrite", "Décompensation diabétique", "Anémie"],
    "CARD": ["Insuffisance cardiaque", "Infarctus du myocarde", "Fibrillation auriculaire"],
    "PNEU": ["Pneumonie", "Exacerbation de BPCO", "Embolie pulmonaire"],
    "GAST": ["Hémorragie digestive haute", "Pancréatite aiguë", "Cirrhose"],
    "NEUR": ["AVC ischémique", "Épilepsie", "Maladie de Parkinson"],
    "NEPH": ["Insuffisance rénale terminale", "Hyperkaliémie"],
    "GERI": ["Démence", "Chute à domicile", "Syndrome confusionnel", "Dénutrition"],
    "CHIR": ["Cholécystite", "Appendicite", "Occlusion intestinale", "Hernie inguinale"],
    "ORTH": ["Fracture du col du fémur", "Prothèse totale de genou", "Fracture du poignet"],
    "USI": ["Choc septique", "Détresse respiratoire", "Arrêt cardiaque récupéré"],
    "MAT": ["Post-partum", "Césarienne", "Prééclampsie"],
    "PED": ["Bronchiolite", "Gastro-entérite", "Asthme"],
    "ONCO": ["Cancer du poumon", "Cancer du sein", "Neutropénie fébrile"],
    "COVID": ["Covid-19", "Pneumonie à SARS-CoV-2"],
    "PSY": ["Épisode dépressif majeur", "Trouble bipolaire", "Schizophrénie"],
    "REV": ["Prothèse de hanche", "AVC ischémique", "Déconditionnement"],
    "PAL": ["Cancer métastatique", "Insuffisance cardiaque terminale"],
}
