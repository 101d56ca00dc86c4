"""The CP-SAT model of a Problem: the only place that imports OR-Tools."""
