"""Pictures and documents built from read models; rendering is kept apart from the data."""
