"""Riders' own data: phone surveys a union (or a mediating office) shares by link or QR code.

The question bank maps to the simulator's model; answers are bounded and checked for impossible
combinations; aggregates hide groups of fewer than five respondents; only the owning
organisation sees responses, and the simulator is calibrated to them on request.
"""
