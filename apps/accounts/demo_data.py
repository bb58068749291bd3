"""Demo filières and accounts loaded by `manage.py seed_demo`. All names are invented."""

from .models import StudyYear, Track
from .roles import Role

# Every demo account gets this password on every run of seed_demo.
DEMO_PASSWORD = "Mobility-Demo-2026"

FILIERES: tuple[tuple[str, str], ...] = (
    ("informatique", "Informatique"),
    ("reseaux-telecoms", "Réseaux et télécommunications"),
    ("data-science", "Data science"),
    ("electronique-embarque", "Électronique et systèmes embarqués"),
    ("mathematiques-appliquees", "Mathématiques appliquées"),
)

# The first account of each role is the one to log in with (printed by seed_demo).
STAFF: tuple[dict, ...] = (
    {
        "email": "advisor@demo.mobility.example",
        "first_name": "Hélène",
        "last_name": "Moreau",
        "role": Role.ADVISOR,
    },
    {
        "email": "dri@demo.mobility.example",
        "first_name": "Nathalie",
        "last_name": "Girard",
        "role": Role.DRI,
    },
    {
        "email": "dfi@demo.mobility.example",
        "first_name": "Philippe",
        "last_name": "Lefèvre",
        "role": Role.DFI,
    },
    {
        "email": "admin@demo.mobility.example",
        "first_name": "Julien",
        "last_name": "Bernard",
        "role": Role.ADMIN,
        "is_superuser": True,
    },
    {
        "email": "thomas.dubois@demo.mobility.example",
        "first_name": "Thomas",
        "last_name": "Dubois",
        "role": Role.ADVISOR,
    },
    {
        "email": "isabelle.laurent@demo.mobility.example",
        "first_name": "Isabelle",
        "last_name": "Laurent",
        "role": Role.ADVISOR,
    },
    {
        "email": "marc.rousseau@demo.mobility.example",
        "first_name": "Marc",
        "last_name": "Rousseau",
        "role": Role.ADVISOR,
    },
)

# `filiere` is a filière code above, `advisor` the e-mail of an advisor in STAFF.
STUDENTS: tuple[dict, ...] = (
    {
        "email": "student@demo.mobility.example",
        "first_name": "Camille",
        "last_name": "Martin",
        "student_number": "22400101",
        "track": Track.FISE,
        "year": StudyYear.SECOND,
        "filiere": "informatique",
        "advisor": "advisor@demo.mobility.example",
    },
    {
        "email": "lea.petit@demo.mobility.example",
        "first_name": "Léa",
        "last_name": "Petit",
        "student_number": "22400102",
        "track": Track.FISE,
        "year": StudyYear.SECOND,
        "filiere": "informatique",
        "advisor": "advisor@demo.mobility.example",
    },
    {
        "email": "hugo.leroy@demo.mobility.example",
        "first_name": "Hugo",
        "last_name": "Leroy",
        "student_number": "22400103",
        "track": Track.FISE,
        "year": StudyYear.SECOND,
        "filiere": "reseaux-telecoms",
        "advisor": "thomas.dubois@demo.mobility.example",
    },
    {
        "email": "chloe.fournier@demo.mobility.example",
        "first_name": "Chloé",
        "last_name": "Fournier",
        "student_number": "22400104",
        "track": Track.FISEA,
        "year": StudyYear.SECOND,
        "filiere": "electronique-embarque",
        "advisor": "marc.rousseau@demo.mobility.example",
    },
    {
        "email": "lucas.garnier@demo.mobility.example",
        "first_name": "Lucas",
        "last_name": "Garnier",
        "student_number": "22500105",
        "track": Track.FISE,
        "year": StudyYear.FIRST,
        "filiere": "data-science",
        "advisor": "isabelle.laurent@demo.mobility.example",
    },
    {
        "email": "ines.chevalier@demo.mobility.example",
        "first_name": "Inès",
        "last_name": "Chevalier",
        "student_number": "22300106",
        "track": Track.FISE,
        "year": StudyYear.THIRD,
        "filiere": "mathematiques-appliquees",
        "advisor": "isabelle.laurent@demo.mobility.example",
    },
    {
        "email": "mathis.faure@demo.mobility.example",
        "first_name": "Mathis",
        "last_name": "Faure",
        "student_number": "22500107",
        "track": Track.FISEA,
        "year": StudyYear.FIRST,
        "filiere": "informatique",
        "advisor": "advisor@demo.mobility.example",
    },
    {
        "email": "manon.mercier@demo.mobility.example",
        "first_name": "Manon",
        "last_name": "Mercier",
        "student_number": "22300108",
        "track": Track.FISE,
        "year": StudyYear.THIRD,
        "filiere": "reseaux-telecoms",
        "advisor": "thomas.dubois@demo.mobility.example",
    },
)
