"""Qt-free words and formats: the catalogue, plural forms, money, percent, dates, periods."""
