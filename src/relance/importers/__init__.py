"""Files in (scenarios, CSVs): validated whole, with every bad row reported, before anything is written."""
