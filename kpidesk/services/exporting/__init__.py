"""Exporting what the rep sees (accounts, journal, pipeline, a period's indicators) to .xlsx and
.csv: ``sheets`` builds the table with the rep's column labels, ``writers`` writes it, with real
numbers and dates in .xlsx and no cell that a spreadsheet would run as a formula."""
