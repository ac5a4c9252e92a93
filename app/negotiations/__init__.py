"""Negotiations: the collective-consultation procedure, its legal rules and its records.

``rules`` holds the pure legal periods and checks of 《集体合同规定》 and related law; ``workflow``
holds the procedure as a state machine with its deadlines and flags; ``errors`` the domain
exceptions. None of these import Flask or touch the database.
"""
