"""Default rule files shipped with relance."""
