"""Agreements: the document that closes a negotiation, its clauses, versions, approvals and
signing.

``document`` is the agreement as pure data (build, edit, redline, fingerprint); ``clauses`` the
catalogue of agreed standards; ``models`` the tables; ``access`` who sees which agreement;
``service`` the write actions. Printing lives above, in ``app.reports.agreement``: ``sign``
receives its renderer.
"""
