"""relance: the crisis cell's platform for a hospital network hit by ransomware."""

__version__ = "0.1.0"
