# Dates and numbers read as the language writes them: Django's own formats for it (e.g.
# "7. Dezember 2026", "7 декабря 2026 г.", a decimal comma). Only what is typed in changes:
# a browser's <input type="date"> sends and expects YYYY-MM-DD whatever the language, so
# ISO 8601 comes first (a date field shows its value in the first input format), and the
# language's own day.month.year is read too.
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d.%m.%Y"]
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M",
    "%d.%m.%Y %H:%M:%S",
    "%d.%m.%Y %H:%M",
]
