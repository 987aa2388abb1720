"""Synthetic people for the demo clinic: names, contacts, ages. Nobody here is real."""

import datetime as dt

FIRST_NAMES = [
    "Anna",
    "Ben",
    "Carla",
    "David",
    "Elena",
    "Felix",
    "Greta",
    "Hugo",
    "Ines",
    "Jonas",
    "Katya",
    "Liam",
    "Marta",
    "Nikos",
    "Olga",
    "Pavel",
    "Rita",
    "Sven",
    "Tara",
    "Uwe",
    "Vera",
    "Wim",
    "Yara",
    "Zeno",
    "Alma",
    "Boris",
    "Chiara",
    "Dmitri",
    "Eva",
    "Farid",
]
LAST_NAMES = [
    "Almeida",
    "Berg",
    "Costa",
    "Dimitriou",
    "Eriksen",
    "Fischer",
    "Garcia",
    "Horvat",
    "Ivanova",
    "Jansen",
    "Kowalski",
    "Lindqvist",
    "Moreau",
    "Novak",
    "Oliveira",
    "Petrov",
    "Quinn",
    "Rossi",
    "Schmidt",
    "Toth",
    "Ulrich",
    "Varga",
    "Weber",
    "Young",
    "Zimmermann",
]
COUNTRIES = [
    ("United Kingdom", "English"),
    ("Germany", "German"),
    ("Poland", "Polish"),
    ("Italy", "Italian"),
    ("Greece", "Greek"),
    ("Sweden", "Swedish"),
    ("Ukraine", "Ukrainian"),
    ("United States", "English"),
    ("Netherlands", "Dutch"),
    ("Czechia", "Czech"),
]


def synthetic_person(rng, number: int, today: dt.date) -> dict:
    """Return the fields of one invented person, marked as synthetic in their e-mail."""
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    country, language = rng.choice(COUNTRIES)
    age_days = rng.randint(22 * 365, 74 * 365)
    return {
        "full_name": f"{first} {last}",
        "email": f"{first.lower()}.{last.lower()}.{number}@synthetic.invalid",
        "phone": f"+00 555 {number:06d}",
        "country": country,
        "language": language,
        "date_of_birth": today - dt.timedelta(days=age_days),
        "sex": rng.choice(["female", "male"]),
        "weight_kg": round(rng.uniform(50, 100), 1),
    }
