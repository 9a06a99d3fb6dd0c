"""Shared priorities, measures, each school's stretch targets and the impact over years."""
