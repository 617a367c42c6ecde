"""Small, separately tested helpers that know nothing of Roer's domain."""
