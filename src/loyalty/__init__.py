"""loyalty: employee perks backend."""
