"""Files in (scenarios, CSVs): validated whole, every bad row reported, before any write."""
