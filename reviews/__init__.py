"""Peer-review cycles: self-review, review teams, findings with evidence, reports, publication."""
