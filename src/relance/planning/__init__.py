"""Restoration scheduling: who rebuilds what, when, so care comes back soonest."""
