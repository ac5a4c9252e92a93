"""Implementation ledger (整改台账), wage-arrears risk screening and lay-off checks.

Pure domain modules (no Flask, no database): :mod:`scoring`, :mod:`items`, :mod:`layoff`,
:mod:`importer`. Records and services: :mod:`models`, :mod:`service`, :mod:`report`.
"""
