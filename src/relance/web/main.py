"""The app of `relance serve`, built in each server process from the database settings.

`relance serve` names this factory to uvicorn by its import path, so several worker processes
can each build their own engine (connections are never shared across a fork).
"""

from fastapi import FastAPI

from relance.storage.database import database_url, make_engine
from relance.web.app import create_app


def app_from_environment() -> FastAPI:
    return create_app(make_engine(database_url()))
