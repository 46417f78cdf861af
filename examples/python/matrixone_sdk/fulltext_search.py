"""Fulltext search with the MatrixOne SDK's API on mocore: a model with a FULLTEXT index,
boolean and natural-language searches, a relevance score, a search inside the query builder.

    MOCORE_URL=matrixone://root:111@127.0.0.1:6001/test python3 fulltext_search.py
    python3 fulltext_search.py mysql://root@127.0.0.1:3306/test     # MariaDB runs it too
"""
import os
import sys
from urllib.parse import unquote, urlsplit

from sqlalchemy import Column, Integer, String, Text
from sqlalchemy.orm import declarative_base

from mocore.matrixone import Client
from mocore.matrixone.sqlalchemy_ext import FulltextIndex, boolean_match, group, natural_match

Base = declarative_base()


class Article(Base):
    __tablename__ = "ft_example_articles"
    id = Column(Integer, primary_key=True)
    title = Column(String(200))
    body = Column(Text)
    category = Column(String(50))
    __table_args__ = (FulltextIndex("ftidx_example", ["title", "body"]),)


def main(url):
    u = urlsplit(url)
    client = Client()
    client.connect(host=u.hostname, port=u.port or 3306, user=unquote(u.username or "root"),
                   password=unquote(u.password or ""), database=u.path.lstrip("/"))
    engine = client.get_sqlalchemy_engine()
    Base.metadata.drop_all(engine)
    Base.metadata.create_all(engine)          # CREATE TABLE ... then CREATE FULLTEXT INDEX
    client.execute("INSERT INTO ft_example_articles VALUES (?, ?, ?, ?), (?, ?, ?, ?), "
                   "(?, ?, ?, ?)",
                   [1, "Python basics", "learn python programming step by step", "tutorial",
                    2, "Java in depth", "enterprise java programming", "book",
                    3, "Legacy python", "python 2 code that is deprecated", "archive"])

    # +programming -deprecated: must contain "programming", must not contain "deprecated"
    found = (client.query(Article)
             .filter(boolean_match(Article.title, Article.body)
                     .must("programming").must_not("deprecated"))
             .order_by(Article.id).all())
    print("boolean:", [a.title for a in found])

    # a group: +(python java) — either word is required
    either = boolean_match("title", "body").must(group().medium("python", "java"))
    print("group:", client.query(Article).filter(either).filter(Article.category != "archive")
          .count())

    # the relevance score as a column, best first
    scored = (client.query(Article.id, natural_match(Article.title, Article.body,
                                                     query="java programming").label("score"))
              .order_by("score DESC").limit(1).all())
    print("best:", scored[0].id)

    # a search string is a bound value: quotes and SQL in it are only words to search
    print("hostile:", client.query(Article).filter(
        natural_match(Article.title, Article.body, query="x') OR 1=1 -- ")).count())

    Base.metadata.drop_all(engine)
    client.disconnect()


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else os.environ["MOCORE_URL"])
