"""Every public member of the Python API has a docstring: the classes and functions that
``mocore`` and ``mocore.aio`` export, each public method and property they define (or inherit
from another mocore class), the managers' methods included. Members inherited from Python or
SQLAlchemy classes are theirs to document. The API reference (the ``docs-python`` target) is
built from these docstrings. mocore.dbapi is checked by its own suite."""

import inspect
import unittest

import mocore
import mocore.aio


def _doc(cls, name):
    attr = inspect.getattr_static(cls, name)
    if isinstance(attr, (staticmethod, classmethod)):
        attr = attr.__func__
    if isinstance(attr, property) or callable(attr):
        return inspect.getdoc(attr) or inspect.getdoc(getattr(cls, name, None))
    return "(data)"  # constants and enum members are described by their class


def public_members():
    """(qualified name, docstring) of every public class, function and class member."""
    out = []
    for mod in (mocore, mocore.aio):
        for name in mod.__all__:
            obj = getattr(mod, name)
            if not (inspect.isclass(obj) or inspect.isfunction(obj)):
                continue
            out.append((f"{mod.__name__}.{name}", inspect.getdoc(obj)))
            if not inspect.isclass(obj):
                continue
            for member in dir(obj):
                if member.startswith("_"):
                    continue
                owner = next((k for k in obj.__mro__ if member in vars(k)), None)
                if owner is None or not owner.__module__.startswith("mocore"):
                    continue
                out.append((f"{mod.__name__}.{name}.{member}", _doc(obj, member)))
    return out


class DocstringTest(unittest.TestCase):
    def test_every_public_member_has_a_docstring(self):
        members = public_members()
        self.assertGreater(len(members), 300)  # the managers' methods are in
        missing = [name for name, doc in members if not (doc and doc.strip())]
        self.assertEqual(missing, [])

    def test_the_core_classes_are_covered(self):
        names = {name for name, _ in public_members()}
        for member in ("mocore.Client.execute", "mocore.Client.ping", "mocore.Client.closed",
                       "mocore.Client.snapshots", "mocore.Session.commit",
                       "mocore.Result.fetchmany", "mocore.Result.rowcount",
                       "mocore.aio.AsyncClient.connect", "mocore.aio.AsyncResult.rowcount",
                       "mocore.Error.errno", "mocore.connect"):
            self.assertIn(member, names)


if __name__ == "__main__":
    unittest.main()
