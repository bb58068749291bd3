"""Demo catalogue loaded by `manage.py seed_demo`: real engineering universities.

Names, countries, cities and websites are public facts. `hei_id` (EWP SCHAC code, the main
web domain) is given for European institutions only. The agreements, seats and requirements
are invented for the demo: they do not describe any school's actual partnerships.
"""

from .models import AgreementKind

DOUBLE_DEGREE = AgreementKind.DOUBLE_DEGREE
MASTER = AgreementKind.MASTER
EXCHANGE = AgreementKind.EXCHANGE

COMPUTER_SCIENCE = "Computer science"
ELECTRICAL_ENGINEERING = "Electrical engineering"
TELECOMMUNICATIONS = "Telecommunications"
APPLIED_MATHEMATICS = "Applied mathematics"
DATA_SCIENCE = "Data science"
EMBEDDED_SYSTEMS = "Embedded systems"
SIGNAL_PROCESSING = "Signal processing"
CYBERSECURITY = "Cybersecurity"

PARTNERS: tuple[dict, ...] = (
    # Germany
    {
        "name": "Technische Universität Berlin",
        "country": "DE",
        "city": "Berlin",
        "website": "https://www.tu.berlin",
        "hei_id": "tu-berlin.de",
        "languages": ("de", "en"),
        "fields": (COMPUTER_SCIENCE, ELECTRICAL_ENGINEERING, TELECOMMUNICATIONS),
        "agreements": (
            {
                "kind": DOUBLE_DEGREE,
                "seats_per_year": 4,
                "first_year": 2023,
                "language_requirement": "German B1",
                "notes": "Four semesters in Berlin, master's thesis included.",
            },
            {
                "kind": EXCHANGE,
                "seats_per_year": 4,
                "first_year": 2024,
                "language_requirement": "English B2",
            },
        ),
    },
    {
        "name": "Technical University of Munich",
        "country": "DE",
        "city": "Munich",
        "website": "https://www.tum.de",
        "hei_id": "tum.de",
        "languages": ("de", "en"),
        "fields": (COMPUTER_SCIENCE, ELECTRICAL_ENGINEERING, APPLIED_MATHEMATICS, DATA_SCIENCE),
        "agreements": (
            {
                "kind": DOUBLE_DEGREE,
                "seats_per_year": 3,
                "first_year": 2023,
                "last_year": 2027,
                "language_requirement": "German B1",
                "notes": "Renewal to be negotiated before the 2027 call.",
            },
            {
                "kind": EXCHANGE,
                "seats_per_year": 4,
                "first_year": 2024,
                "language_requirement": "English B2",
            },
        ),
    },
    {
        "name": "RWTH Aachen University",
        "country": "DE",
        "city": "Aachen",
        "website": "https://www.rwth-aachen.de",
        "hei_id": "rwth-aachen.de",
        "languages": ("de", "en"),
        "fields": (ELECTRICAL_ENGINEERING, EMBEDDED_SYSTEMS, TELECOMMUNICATIONS),
        "agreements": (
            {
                "kind": EXCHANGE,
                "seats_per_year": 3,
                "first_year": 2024,
                "language_requirement": "German B1",
                "notes": "Most bachelor-level courses are taught in German.",
            },
        ),
    },
    {
        "name": "Karlsruhe Institute of Technology",
        "country": "DE",
        "city": "Karlsruhe",
        "website": "https://www.kit.edu",
        "hei_id": "kit.edu",
        "languages": ("de", "en"),
        "fields": (ELECTRICAL_ENGINEERING, COMPUTER_SCIENCE, SIGNAL_PROCESSING),
        "agreements": (
            {
                "kind": DOUBLE_DEGREE,
                "seats_per_year": 2,
                "first_year": 2024,
                "language_requirement": "German B2",
            },
        ),
    },
    # Nordic countries
    {
        "name": "KTH Royal Institute of Technology",
        "country": "SE",
        "city": "Stockholm",
        "website": "https://www.kth.se",
        "hei_id": "kth.se",
        "languages": ("en", "sv"),
        "fields": (COMPUTER_SCIENCE, TELECOMMUNICATIONS, DATA_SCIENCE),
        "agreements": (
            {
                "kind": DOUBLE_DEGREE,
                "seats_per_year": 3,
                "first_year": 2023,
                "language_requirement": "English B2",
                "notes": "Master's programmes taught in English.",
            },
            {
                "kind": EXCHANGE,
                "seats_per_year": 4,
                "first_year": 2023,
                "language_requirement": "English B2",
            },
        ),
    },
    {
        "name": "Chalmers University of Technology",
        "country": "SE",
        "city": "Gothenburg",
        "website": "https://www.chalmers.se",
        "hei_id": "chalmers.se",
        "languages": ("en", "sv"),
        "fields": (ELECTRICAL_ENGINEERING, EMBEDDED_SYSTEMS, DATA_SCIENCE),
        "agreements": (
            {
                "kind": MASTER,
                "seats_per_year": 2,
                "first_year": 2024,
                "language_requirement": "English B2",
            },
            {
                "kind": EXCHANGE,
                "seats_per_year": 3,
                "first_year": 2025,
                "language_requirement": "English B2",
            },
        ),
    },
    {
        "name": "Aalto University",
        "country": "FI",
        "city": "Espoo",
        "website": "https://www.aalto.fi",
        "hei_id": "aalto.fi",
        "languages": ("fi", "sv", "en"),
        "fields": (COMPUTER_SCIENCE, TELECOMMUNICATIONS, DATA_SCIENCE),
        "agreements": (
            {
                "kind": DOUBLE_DEGREE,
                "seats_per_year": 2,
                "first_year": 2024,
                "language_requirement": "English B2",
            },
            {
                "kind": EXCHANGE,
                "seats_per_year": 3,
                "first_year": 2023,
                "language_requirement": "English B2",
            },
        ),
    },
    {
        "name": "Technical University of Denmark",
        "country": "DK",
        "city": "Kongens Lyngby",
        "website": "https://www.dtu.dk",
        "hei_id": "dtu.dk",
        "languages": ("da", "en"),
        "fields": (ELECTRICAL_ENGINEERING, DATA_SCIENCE, APPLIED_MATHEMATICS),
        "agreements": (
            {
                "kind": EXCHANGE,
                "seats_per_year": 3,
                "first_year": 2024,
                "language_requirement": "English B2",
            },
            {
                "kind": MASTER,
                "seats_per_year": 1,
                "first_year": 2025,
                "language_requirement": "English C1",
            },
        ),
    },
    {
        "name": "Norwegian University of Science and Technology",
        "country": "NO",
        "city": "Trondheim",
        "website": "https://www.ntnu.edu",
        "hei_id": "ntnu.no",
        "languages": ("no", "en"),
        "fields": (TELECOMMUNICATIONS, ELECTRICAL_ENGINEERING, EMBEDDED_SYSTEMS),
        "agreements": (
            {
                "kind": EXCHANGE,
                "seats_per_year": 2,
                "first_year": 2024,
                "language_requirement": "English B2",
            },
        ),
    },
    # Southern Europe
    {
        "name": "Politecnico di Milano",
        "country": "IT",
        "city": "Milan",
        "website": "https://www.polimi.it",
        "hei_id": "polimi.it",
        "languages": ("it", "en"),
        "fields": (TELECOMMUNICATIONS, ELECTRICAL_ENGINEERING, COMPUTER_SCIENCE),
        "agreements": (
            {
                "kind": DOUBLE_DEGREE,
                "seats_per_year": 4,
                "first_year": 2023,
                "language_requirement": "Italian B1",
                "notes": "English B2 is enough for the tracks taught in English.",
            },
            {
                "kind": EXCHANGE,
                "seats_per_year": 4,
                "first_year": 2024,
                "language_requirement": "English B2",
            },
        ),
    },
    {
        "name": "Politecnico di Torino",
        "country": "IT",
        "city": "Turin",
        "website": "https://www.polito.it",
        "hei_id": "polito.it",
        "languages": ("it", "en"),
        "fields": (ELECTRICAL_ENGINEERING, TELECOMMUNICATIONS, EMBEDDED_SYSTEMS),
        "agreements": (
            {
                "kind": DOUBLE_DEGREE,
                "seats_per_year": 3,
                "first_year": 2023,
                "last_year": 2026,
                "language_requirement": "Italian B1",
            },
        ),
    },
    {
        "name": "Universidad Politécnica de Madrid",
        "country": "ES",
        "city": "Madrid",
        "website": "https://www.upm.es",
        "hei_id": "upm.es",
        "languages": ("es", "en"),
        "fields": (TELECOMMUNICATIONS, COMPUTER_SCIENCE, SIGNAL_PROCESSING),
        "agreements": (
            {
                "kind": DOUBLE_DEGREE,
                "seats_per_year": 4,
                "first_year": 2023,
                "language_requirement": "Spanish B1",
                "notes": "With the ETSI de Telecomunicación.",
            },
            {
                "kind": EXCHANGE,
                "seats_per_year": 3,
                "first_year": 2024,
                "language_requirement": "Spanish B1",
            },
        ),
    },
    {
        "name": "Universitat Politècnica de Catalunya",
        "country": "ES",
        "city": "Barcelona",
        "website": "https://www.upc.edu",
        "hei_id": "upc.edu",
        "languages": ("es", "ca", "en"),
        "fields": (TELECOMMUNICATIONS, COMPUTER_SCIENCE, DATA_SCIENCE),
        "agreements": (
            {
                "kind": DOUBLE_DEGREE,
                "seats_per_year": 3,
                "first_year": 2024,
                "language_requirement": "Spanish B1",
                "notes": "With the telecommunications school (ETSETB).",
            },
            {
                "kind": EXCHANGE,
                "seats_per_year": 4,
                "first_year": 2023,
                "language_requirement": "Spanish B1",
            },
        ),
    },
    {
        "name": "Instituto Superior Técnico",
        "country": "PT",
        "city": "Lisbon",
        "website": "https://tecnico.ulisboa.pt",
        "languages": ("pt", "en"),
        "fields": (ELECTRICAL_ENGINEERING, TELECOMMUNICATIONS, COMPUTER_SCIENCE),
        "agreements": (
            {
                "kind": DOUBLE_DEGREE,
                "seats_per_year": 2,
                "first_year": 2023,
                "language_requirement": "English B2",
                "notes": "Portuguese A2 recommended for daily life.",
            },
            {
                "kind": EXCHANGE,
                "seats_per_year": 3,
                "first_year": 2024,
                "language_requirement": "English B2",
            },
        ),
    },
    # Benelux, Switzerland, United Kingdom, Central Europe
    {
        "name": "Delft University of Technology",
        "country": "NL",
        "city": "Delft",
        "website": "https://www.tudelft.nl",
        "hei_id": "tudelft.nl",
        "languages": ("en", "nl"),
        "fields": (ELECTRICAL_ENGINEERING, COMPUTER_SCIENCE, APPLIED_MATHEMATICS),
        "agreements": (
            {
                "kind": MASTER,
                "seats_per_year": 2,
                "first_year": 2024,
                "language_requirement": "English C1",
            },
            {
                "kind": EXCHANGE,
                "seats_per_year": 2,
                "first_year": 2025,
                "language_requirement": "English B2",
            },
        ),
    },
    {
        "name": "Eindhoven University of Technology",
        "country": "NL",
        "city": "Eindhoven",
        "website": "https://www.tue.nl",
        "hei_id": "tue.nl",
        "languages": ("en", "nl"),
        "fields": (ELECTRICAL_ENGINEERING, EMBEDDED_SYSTEMS, DATA_SCIENCE),
        "agreements": (
            {
                "kind": EXCHANGE,
                "seats_per_year": 2,
                "first_year": 2024,
                "language_requirement": "English B2",
            },
        ),
    },
    {
        "name": "KU Leuven",
        "country": "BE",
        "city": "Leuven",
        "website": "https://www.kuleuven.be",
        "hei_id": "kuleuven.be",
        "languages": ("nl", "en"),
        "fields": (COMPUTER_SCIENCE, APPLIED_MATHEMATICS, ELECTRICAL_ENGINEERING),
        "agreements": (
            {
                "kind": EXCHANGE,
                "seats_per_year": 3,
                "first_year": 2023,
                "last_year": 2026,
                "language_requirement": "English B2",
            },
        ),
    },
    {
        "name": "École polytechnique fédérale de Lausanne",
        "country": "CH",
        "city": "Lausanne",
        "website": "https://www.epfl.ch",
        "hei_id": "epfl.ch",
        "languages": ("fr", "en"),
        "fields": (COMPUTER_SCIENCE, ELECTRICAL_ENGINEERING, DATA_SCIENCE),
        "agreements": (
            {
                "kind": MASTER,
                "seats_per_year": 2,
                "first_year": 2024,
                "language_requirement": "English C1",
                "notes": "Master's programmes taught in English.",
            },
            {
                "kind": EXCHANGE,
                "seats_per_year": 2,
                "first_year": 2023,
                "language_requirement": "French B2 or English B2",
            },
        ),
    },
    {
        "name": "ETH Zurich",
        "country": "CH",
        "city": "Zurich",
        "website": "https://ethz.ch",
        "hei_id": "ethz.ch",
        "languages": ("de", "en"),
        "fields": (COMPUTER_SCIENCE, ELECTRICAL_ENGINEERING, APPLIED_MATHEMATICS),
        "agreements": (
            {
                "kind": MASTER,
                "seats_per_year": 1,
                "first_year": 2025,
                "language_requirement": "English C1",
                "notes": "The host selects among the nominated students.",
            },
        ),
    },
    {
        "name": "Imperial College London",
        "country": "GB",
        "city": "London",
        "website": "https://www.imperial.ac.uk",
        "hei_id": "imperial.ac.uk",
        "languages": ("en",),
        "fields": (ELECTRICAL_ENGINEERING, COMPUTER_SCIENCE),
        "agreements": (
            {
                "kind": EXCHANGE,
                "seats_per_year": 2,
                "first_year": 2023,
                "last_year": 2025,
                "language_requirement": "English C1",
                "notes": "No Erasmus+ grant since the United Kingdom left the programme.",
            },
        ),
    },
    {
        "name": "Warsaw University of Technology",
        "country": "PL",
        "city": "Warsaw",
        "website": "https://www.pw.edu.pl",
        "hei_id": "pw.edu.pl",
        "languages": ("pl", "en"),
        "fields": (ELECTRICAL_ENGINEERING, TELECOMMUNICATIONS, COMPUTER_SCIENCE),
        "agreements": (
            {
                "kind": EXCHANGE,
                "seats_per_year": 2,
                "first_year": 2024,
                "language_requirement": "English B2",
            },
        ),
    },
    {
        "name": "Czech Technical University in Prague",
        "country": "CZ",
        "city": "Prague",
        "website": "https://www.cvut.cz",
        "hei_id": "cvut.cz",
        "languages": ("cs", "en"),
        "fields": (COMPUTER_SCIENCE, ELECTRICAL_ENGINEERING, EMBEDDED_SYSTEMS),
        "agreements": (
            {
                "kind": EXCHANGE,
                "seats_per_year": 2,
                "first_year": 2025,
                "language_requirement": "English B2",
            },
        ),
    },
    # Americas
    {
        "name": "Universidade de São Paulo",
        "country": "BR",
        "city": "São Paulo",
        "website": "https://www.usp.br",
        "languages": ("pt",),
        "fields": (ELECTRICAL_ENGINEERING, COMPUTER_SCIENCE, TELECOMMUNICATIONS),
        "agreements": (
            {
                "kind": DOUBLE_DEGREE,
                "seats_per_year": 4,
                "first_year": 2023,
                "language_requirement": "Portuguese B1",
                "notes": "With the Escola Politécnica (Poli-USP).",
            },
        ),
    },
    {
        "name": "Universidade Estadual de Campinas",
        "country": "BR",
        "city": "Campinas",
        "website": "https://www.unicamp.br",
        "languages": ("pt",),
        "fields": (ELECTRICAL_ENGINEERING, COMPUTER_SCIENCE),
        "agreements": (
            {
                "kind": DOUBLE_DEGREE,
                "seats_per_year": 3,
                "first_year": 2023,
                "language_requirement": "Portuguese B1",
            },
        ),
    },
    {
        "name": "Pontificia Universidad Católica de Chile",
        "country": "CL",
        "city": "Santiago",
        "website": "https://www.uc.cl",
        "languages": ("es",),
        "fields": (COMPUTER_SCIENCE, ELECTRICAL_ENGINEERING),
        "agreements": (
            {
                "kind": EXCHANGE,
                "seats_per_year": 2,
                "first_year": 2024,
                "language_requirement": "Spanish B2",
            },
        ),
    },
    {
        "name": "Tecnológico de Monterrey",
        "country": "MX",
        "city": "Monterrey",
        "website": "https://tec.mx",
        "languages": ("es", "en"),
        "fields": (COMPUTER_SCIENCE, DATA_SCIENCE),
        "agreements": (
            {
                "kind": EXCHANGE,
                "seats_per_year": 2,
                "first_year": 2025,
                "language_requirement": "Spanish B1",
            },
        ),
    },
    {
        "name": "University of Waterloo",
        "country": "CA",
        "city": "Waterloo",
        "website": "https://uwaterloo.ca",
        "languages": ("en",),
        "fields": (COMPUTER_SCIENCE, APPLIED_MATHEMATICS, CYBERSECURITY),
        "agreements": (
            {
                "kind": EXCHANGE,
                "seats_per_year": 2,
                "first_year": 2024,
                "language_requirement": "English B2",
            },
        ),
    },
    {
        "name": "Polytechnique Montréal",
        "country": "CA",
        "city": "Montreal",
        "website": "https://www.polymtl.ca",
        "languages": ("fr",),
        "fields": (ELECTRICAL_ENGINEERING, COMPUTER_SCIENCE, TELECOMMUNICATIONS),
        "agreements": (
            {
                "kind": DOUBLE_DEGREE,
                "seats_per_year": 4,
                "first_year": 2023,
                "notes": "Courses taught in French.",
            },
            {
                "kind": EXCHANGE,
                "seats_per_year": 3,
                "first_year": 2024,
            },
        ),
    },
    {
        "name": "Université Laval",
        "country": "CA",
        "city": "Quebec City",
        "website": "https://www.ulaval.ca",
        "languages": ("fr",),
        "fields": (COMPUTER_SCIENCE, ELECTRICAL_ENGINEERING),
        "agreements": (
            {
                "kind": EXCHANGE,
                "seats_per_year": 2,
                "first_year": 2025,
            },
        ),
    },
    {
        "name": "Georgia Institute of Technology",
        "country": "US",
        "city": "Atlanta",
        "website": "https://www.gatech.edu",
        "languages": ("en",),
        "fields": (ELECTRICAL_ENGINEERING, COMPUTER_SCIENCE, CYBERSECURITY),
        "agreements": (
            {
                "kind": MASTER,
                "seats_per_year": 2,
                "first_year": 2024,
                "language_requirement": "English C1",
                "notes": "TOEFL or IELTS score required by the host.",
            },
        ),
    },
    # Asia and Oceania
    {
        "name": "Tsinghua University",
        "country": "CN",
        "city": "Beijing",
        "website": "https://www.tsinghua.edu.cn",
        "languages": ("zh", "en"),
        "fields": (COMPUTER_SCIENCE, ELECTRICAL_ENGINEERING, TELECOMMUNICATIONS),
        "agreements": (
            {
                "kind": DOUBLE_DEGREE,
                "seats_per_year": 2,
                "first_year": 2024,
                "language_requirement": "English B2",
                "notes": "Chinese A2 recommended.",
            },
        ),
    },
    {
        "name": "Shanghai Jiao Tong University",
        "country": "CN",
        "city": "Shanghai",
        "website": "https://www.sjtu.edu.cn",
        "languages": ("zh", "en"),
        "fields": (ELECTRICAL_ENGINEERING, COMPUTER_SCIENCE),
        "agreements": (
            {
                "kind": DOUBLE_DEGREE,
                "seats_per_year": 2,
                "first_year": 2023,
                "last_year": 2027,
                "language_requirement": "English B2",
            },
            {
                "kind": EXCHANGE,
                "seats_per_year": 3,
                "first_year": 2024,
                "language_requirement": "English B2",
            },
        ),
    },
    {
        "name": "National University of Singapore",
        "country": "SG",
        "city": "Singapore",
        "website": "https://nus.edu.sg",
        "languages": ("en",),
        "fields": (COMPUTER_SCIENCE, DATA_SCIENCE, ELECTRICAL_ENGINEERING),
        "agreements": (
            {
                "kind": EXCHANGE,
                "seats_per_year": 2,
                "first_year": 2024,
                "language_requirement": "English B2",
            },
            {
                "kind": MASTER,
                "seats_per_year": 1,
                "first_year": 2025,
                "language_requirement": "English C1",
            },
        ),
    },
    {
        "name": "The University of Tokyo",
        "country": "JP",
        "city": "Tokyo",
        "website": "https://www.u-tokyo.ac.jp",
        "languages": ("ja", "en"),
        "fields": (COMPUTER_SCIENCE, ELECTRICAL_ENGINEERING, APPLIED_MATHEMATICS),
        "agreements": (
            {
                "kind": EXCHANGE,
                "seats_per_year": 2,
                "first_year": 2024,
                "language_requirement": "English B2",
                "notes": "Japanese not required for the courses taught in English.",
            },
        ),
    },
    {
        "name": "Keio University",
        "country": "JP",
        "city": "Tokyo",
        "website": "https://www.keio.ac.jp",
        "languages": ("ja", "en"),
        "fields": (COMPUTER_SCIENCE, TELECOMMUNICATIONS),
        "agreements": (
            {
                "kind": DOUBLE_DEGREE,
                "seats_per_year": 2,
                "first_year": 2023,
                "language_requirement": "English B2",
                "notes": "Graduate School of Science and Technology.",
            },
        ),
    },
    {
        "name": "KAIST",
        "country": "KR",
        "city": "Daejeon",
        "website": "https://www.kaist.ac.kr",
        "languages": ("ko", "en"),
        "fields": (ELECTRICAL_ENGINEERING, COMPUTER_SCIENCE),
        "agreements": (
            {
                "kind": DOUBLE_DEGREE,
                "seats_per_year": 2,
                "first_year": 2024,
                "language_requirement": "English B2",
            },
            {
                "kind": EXCHANGE,
                "seats_per_year": 3,
                "first_year": 2023,
                "language_requirement": "English B2",
            },
        ),
    },
    {
        "name": "Indian Institute of Technology Bombay",
        "country": "IN",
        "city": "Mumbai",
        "website": "https://www.iitb.ac.in",
        "languages": ("en",),
        "fields": (ELECTRICAL_ENGINEERING, COMPUTER_SCIENCE),
        "agreements": (
            {
                "kind": EXCHANGE,
                "seats_per_year": 2,
                "first_year": 2024,
                "language_requirement": "English B2",
            },
        ),
    },
    {
        "name": "Technion – Israel Institute of Technology",
        "country": "IL",
        "city": "Haifa",
        "website": "https://www.technion.ac.il",
        "languages": ("he", "en"),
        "fields": (ELECTRICAL_ENGINEERING, COMPUTER_SCIENCE),
        "agreements": (
            {
                "kind": EXCHANGE,
                "seats_per_year": 2,
                "first_year": 2024,
                "last_year": 2025,
                "language_requirement": "English B2",
            },
        ),
    },
    {
        "name": "UNSW Sydney",
        "country": "AU",
        "city": "Sydney",
        "website": "https://www.unsw.edu.au",
        "languages": ("en",),
        "fields": (TELECOMMUNICATIONS, ELECTRICAL_ENGINEERING, DATA_SCIENCE),
        "agreements": (
            {
                "kind": EXCHANGE,
                "seats_per_year": 2,
                "first_year": 2024,
                "language_requirement": "English B2",
            },
        ),
    },
    {
        "name": "The University of Melbourne",
        "country": "AU",
        "city": "Melbourne",
        "website": "https://www.unimelb.edu.au",
        "languages": ("en",),
        "fields": (COMPUTER_SCIENCE, DATA_SCIENCE, APPLIED_MATHEMATICS),
        "agreements": (
            {
                "kind": MASTER,
                "seats_per_year": 2,
                "first_year": 2025,
                "language_requirement": "English C1",
            },
        ),
    },
)
