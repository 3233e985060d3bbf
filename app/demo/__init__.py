"""Demo data: a believable municipality, its partners and a login for every role."""
