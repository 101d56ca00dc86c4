"""Pure rules and data of the crisis cell: no I/O, no database, no wall clock."""
