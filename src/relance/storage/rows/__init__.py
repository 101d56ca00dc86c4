"""The ORM tables, one module per subject; `relance.storage.tables` names them all."""
