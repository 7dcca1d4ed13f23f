"""Paging a select() (or a list of ids) for flask-smorest's @blp.paginate(), safe for absurd page
numbers."""
from sqlalchemy import func, select

from broker.extensions import db


def page_of(stmt, pagination) -> list:
    """The requested page of `stmt`'s rows; sets the total for the X-Pagination header."""
    total = db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))
    pagination.item_count = total
    offset = (pagination.page - 1) * pagination.page_size
    if offset >= total:
        return []
    return db.session.scalars(stmt.limit(pagination.page_size).offset(offset)).unique().all()


def page_of_rows(stmt, pagination) -> list:
    """Like page_of, for a select() of several entities: the page's rows as tuples."""
    total = db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))
    pagination.item_count = total
    offset = (pagination.page - 1) * pagination.page_size
    if offset >= total:
        return []
    return db.session.execute(stmt.limit(pagination.page_size).offset(offset)).all()


def page_of_ids(ids: list, pagination) -> list:
    """The requested page of an already ordered list of ids; sets the total likewise."""
    pagination.item_count = len(ids)
    offset = (pagination.page - 1) * pagination.page_size
    return ids[offset:offset + pagination.page_size]
