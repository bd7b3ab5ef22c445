"""Importing the team's spreadsheet (.xlsx, .csv) into kpidesk: read, map, preview, write.

The modules, in the order an import runs: ``reading`` (the file's cells), ``mapping`` (which
column fills which field, where the header is), ``rows`` (each row's values, parsed), ``plan``
(what is new, changed or unchanged against the database), ``service`` (preview, and the one
transaction that writes it all or nothing). Nothing here imports Qt or SQL.
"""
