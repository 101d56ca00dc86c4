"""The `relance` command: thin commands that parse, call one app service and render."""
