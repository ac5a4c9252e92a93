"""Saved scenarios: an organisation's private pay packages and the snapshots it shares.

``models`` holds the tables, ``service`` the audited changes (each takes a session, the acting
user and ``now``), ``access`` the permission rules, ``results`` the summary of a simulation that
pages, snapshots and exports show, ``export`` the CSV/XLSX files. No Flask here.
"""
