"""The crisis cell's dashboard (server-rendered pages) and REST API, served by `relance serve`."""
