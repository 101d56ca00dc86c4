"""The declarative base every table module maps onto: one metadata for the whole schema."""

from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    pass
