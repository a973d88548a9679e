"""Korean dates as public documents write them: `2026. 12. 1.` and `2026. 12. 1. 14:05`.

The spaces inside a date are no-break spaces (U+00A0): a narrow table column never breaks it into
`2026. 11.` / `29.`."""

DATE_FORMAT = "Y.\u00a0n.\u00a0j."
SHORT_DATE_FORMAT = DATE_FORMAT
DATETIME_FORMAT = "Y.\u00a0n.\u00a0j.\u00a0H:i"
SHORT_DATETIME_FORMAT = DATETIME_FORMAT
MONTH_DAY_FORMAT = "n월 j일"
YEAR_MONTH_FORMAT = "Y년 n월"
TIME_FORMAT = "H:i"
# Money has its own rule (config/money.py); plain counts keep Korean grouping.
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
