"""The dated registry of the standards behind every figure (issue 16).

Minimum wages of the 31 provincial regions by tier, the tier of each place under each
standard, and other dated standards (injury-protection fees, pension subsidies, heat
allowances), each with its source and whether it was verified from an official text. Records
are never changed: a newer standard or a correction is a new record, so past scenarios and
agreements keep computing with the values of their own date. No Flask here.
"""
from app.standards.lookup import (MinimumWage, PlaceTier, StandardNotFound, minimum_wage,
                                  minimum_wages_in_force, newer_minimum_wage,
                                  other_standards_in_force, place_tier, places,
                                  standard_dates_after)

__all__ = ["MinimumWage", "PlaceTier", "StandardNotFound", "minimum_wage",
           "minimum_wages_in_force", "newer_minimum_wage", "other_standards_in_force",
           "place_tier", "places", "standard_dates_after"]
