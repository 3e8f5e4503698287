"""Persian and Iranian locale helpers for Pasokh, free of Django so any layer can use them.

- :mod:`~pasokh.persian.digits`: Persian/Arabic-Indic digits and number parsing for forms.
- :mod:`~pasokh.persian.normalize`: search keys that match however Persian text was typed.
- :mod:`~pasokh.persian.phone`: Iranian (and foreign) phone numbers to E.164.
- :mod:`~pasokh.persian.calendar`: business week, official holidays and SLA clock maths.
- :mod:`~pasokh.persian.jalali`: Jalali dates for display and month/week reports.

Nothing is re-exported here, so importing one helper does not load the others' data
(``phonenumbers`` and ``holidays`` are large).
"""
