"""Vector search with the MatrixOne SDK's API on mocore: a model with a vecf32 column and an
IVF index, nearest-neighbour queries in SQLAlchemy, client.vector_ops, a Pinecone-style index
with metadata filters, and MatrixOne's JSON paths.

    MOCORE_URL=matrixone://root:111@127.0.0.1:6001/test python3 vector_search.py
    python3 vector_search.py mysql://root@127.0.0.1:3306/test   # MariaDB: SQL shown, JSON run
"""
import array
import os
import sys
from urllib.parse import unquote, urlsplit

from sqlalchemy import Column, Integer, String, select
from sqlalchemy.orm import Session, declarative_base

from mocore.matrixone import Client
from mocore.matrixone.sqlalchemy_ext import (JSON, IVFVectorIndex, VectorOpType,
                                             create_vector_column, json_set, within_distance)

Base = declarative_base()


class Doc(Base):
    __tablename__ = "vec_example_docs"
    id = Column(Integer, primary_key=True)
    title = Column(String(100))
    category = Column(String(20))
    embedding = create_vector_column(3, "f32")               # vecf32(3)
    __table_args__ = (IVFVectorIndex("idx_vec_example", "embedding", lists=2,
                                     op_type=VectorOpType.VECTOR_L2_OPS),)


class Product(Base):
    __tablename__ = "vec_example_products"
    id = Column(Integer, primary_key=True)
    specs = Column(JSON)


def vectors(client):
    """MatrixOne only: vecf32 columns, IVF indexes and the distance functions."""
    engine = client.get_sqlalchemy_engine()
    with Session(engine) as s:
        s.add_all([Doc(id=1, title="red apple", category="fruit", embedding=[0.9, 0.1, 0.1]),
                   Doc(id=2, title="green pear", category="fruit", embedding=[0.1, 0.9, 0.1]),
                   # a float32 buffer (array('f'), a numpy array) goes to the C core as it is
                   Doc(id=3, title="blue car", category="vehicle",
                       embedding=array.array("f", [0.1, 0.1, 0.9]))])
        s.commit()
        query = [0.8, 0.2, 0.1]
        nearest = s.execute(select(Doc.title, Doc.embedding.l2_distance(query).label("d"))
                            .order_by("d").limit(2)).all()
        print("nearest:", [t for t, _ in nearest])
        close = s.scalars(select(Doc.id).where(within_distance(Doc.embedding, query, 0.5))).all()
        print("within 0.5:", close)
        print("vector back:", s.get(Doc, 1).embedding)                 # a list of float

    rows = client.vector_ops.similarity_search(Doc.__tablename__, "embedding", [0.1, 0.8, 0.2],
                                               limit=1, select_columns=["id", "title"],
                                               where_clause="category = ?",
                                               where_params=["fruit"])
    print("vector_ops:", rows[0]["title"])

    index = client.get_pinecone_index(Doc, "embedding")
    res = index.query([0.1, 0.1, 0.8], top_k=3,
                      filter={"$or": [{"category": "vehicle"},
                                      {"title": {"$in": ["x'); DROP TABLE vec_example_docs; --"]}}]})
    print("pinecone:", [(m.id, m.metadata["title"]) for m in res.matches])
    print("stats:", index.describe_index_stats()["total_vector_count"])


def show_sql(engine):
    """What the vector constructs compile to (any server)."""
    q = [0.8, 0.2, 0.1]
    stmt = select(Doc.id).order_by(Doc.embedding.cosine_distance(q)).limit(3)
    print("sql:", " ".join(str(stmt.compile(engine)).split()))


def json_paths(client):
    """MatrixOne's JSON path syntax; json_set etc. also run on MariaDB."""
    engine = client.get_sqlalchemy_engine()
    with Session(engine) as s:
        s.add(Product(id=1, specs={"brand": "Dell", "ram": 16}))
        s.commit()
        s.execute(Product.__table__.update()
                  .values(specs=json_set(Product.specs, "$.ram", 32, "$.note", "it's")))
        s.commit()
        print("json:", s.get(Product, 1).specs)


def main(url):
    u = urlsplit(url)
    client = Client()
    client.connect(host=u.hostname, port=u.port or 3306, user=unquote(u.username or "root"),
                   password=unquote(u.password or ""), database=u.path.lstrip("/"))
    engine = client.get_sqlalchemy_engine()
    on_matrixone = client._mocore().server_kind == "matrixone"
    tables = [Doc.__table__, Product.__table__] if on_matrixone else [Product.__table__]
    Base.metadata.drop_all(engine, tables=tables)
    Base.metadata.create_all(engine, tables=tables)   # CREATE TABLE, SET ..., CREATE INDEX
    try:
        show_sql(engine)
        if on_matrixone:
            vectors(client)
        json_paths(client)
    finally:
        Base.metadata.drop_all(engine, tables=tables)
        client.disconnect()


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else os.environ["MOCORE_URL"])
