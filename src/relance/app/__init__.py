"""Application services: one verb_noun function per change, audited, committed by the caller."""
