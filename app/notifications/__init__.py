"""Deadlines and events brought to where people look: a calendar feed and e-mail notifications.

Above negotiations and the ledger (it reads their deadlines, never computes its own), below web.
"""
