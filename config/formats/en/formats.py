# The admin's English date formats. Every datetime Django shows on its own (list columns, read-only
# fields, history) names its zone, as hiring.display.local_time does: "7 Dec 2026, 14:30 CET".
DATETIME_FORMAT = "j M Y, H:i T"
SHORT_DATETIME_FORMAT = "j M Y, H:i T"
DATE_FORMAT = "j M Y"
