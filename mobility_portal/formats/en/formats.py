"""English as the portal's English readers write it: day first.

The school is French and its English readers are mostly international students and staff:
Django's English ("Nov. 28, 2026", "06/01/2026" for 1 June) made the digits swap when a reader
switched from French, and sat beside the rules engine's "1 September 2027" in the same line.
The formats below write "28 November 2026" and "28/11/2026", the hour on 24 hours as the
school's timetables do; what is not set here (the separators of numbers, the months' names)
stays Django's English. The syntax is the `date` filter's."""

DATE_FORMAT = "j F Y"  # 28 November 2026
TIME_FORMAT = "H:i"  # 14:05
DATETIME_FORMAT = "j F Y, H:i"  # 28 November 2026, 14:05
YEAR_MONTH_FORMAT = "F Y"  # November 2026
MONTH_DAY_FORMAT = "j F"  # 28 November
SHORT_DATE_FORMAT = "d/m/Y"  # 28/11/2026
SHORT_DATETIME_FORMAT = "d/m/Y H:i"  # 28/11/2026 14:05
FIRST_DAY_OF_WEEK = 1  # Monday

# What a typed date may be (strptime syntax), the first one being how a text input (the admin's)
# writes a date back, as in French. ISO 8601 (2026-11-28) is what HTML date inputs send (the
# plan editor's): it is listed, though Django would add it. Month-first forms are not accepted:
# "06/01/2026" is 6 January here, as in French.
DATE_INPUT_FORMATS = [
    "%d/%m/%Y",  # 28/11/2026
    "%Y-%m-%d",  # 2026-11-28
    "%d/%m/%y",  # 28/11/26
    "%d %B %Y",  # 28 November 2026
    "%d %b %Y",  # 28 Nov 2026
]
DATETIME_INPUT_FORMATS = [
    "%d/%m/%Y %H:%M:%S",  # 28/11/2026 14:05:59
    "%d/%m/%Y %H:%M:%S.%f",  # 28/11/2026 14:05:59.000200
    "%d/%m/%Y %H:%M",  # 28/11/2026 14:05
    "%Y-%m-%d %H:%M:%S",  # 2026-11-28 14:05:59
    "%Y-%m-%d %H:%M:%S.%f",  # 2026-11-28 14:05:59.000200
    "%Y-%m-%d %H:%M",  # 2026-11-28 14:05
]
