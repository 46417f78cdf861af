"""ResultSet: the rows of a statement, all read -- what a manager's insert / batch_insert, a
LOAD DATA, an export and the SDK client's ``execute`` return (a write: no columns, no rows,
``affected_rows``)."""

__all__ = ["ResultSet"]


class ResultSet:
    """``columns`` (names), ``rows``, ``affected_rows`` (also ``rowcount``);
    fetchone/fetchmany/fetchall/scalar move a cursor over ``rows``."""

    def __init__(self, columns=None, rows=None, affected_rows=0):
        self.columns = [] if columns is None else columns
        self.rows = [] if rows is None else rows
        self.affected_rows = affected_rows
        self._cursor = 0

    @property
    def rowcount(self):
        """``affected_rows``, as a DB-API cursor names it."""
        return self.affected_rows

    def fetchall(self):
        """The rows not fetched yet."""
        rest = self.rows[self._cursor:]
        self._cursor = len(self.rows)
        return rest

    def fetchone(self):
        """The next row, or None."""
        if self._cursor >= len(self.rows):
            return None
        row = self.rows[self._cursor]
        self._cursor += 1
        return row

    def fetchmany(self, size=1):
        """Up to ``size`` next rows."""
        rows = self.rows[self._cursor:self._cursor + size]
        self._cursor += len(rows)
        return rows

    def scalar(self):
        """The first column of the first row (None when there is none)."""
        return self.rows[0][0] if self.rows and self.columns else None

    def keys(self):
        """The column names."""
        return iter(self.columns)

    def __iter__(self):
        return iter(self.rows)

    def __len__(self):
        return len(self.rows)

    def __repr__(self):
        return (f"ResultSet(columns={self.columns!r}, rows={len(self.rows)}, "
                f"affected_rows={self.affected_rows})")
