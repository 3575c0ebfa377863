"""Search documents: what the index knows about a company, built from plain column values.

This module is the one definition of a search document, for both backends: the words of
each field, the whole-name forms, the brand phrases and who is CEO (`models.person.ceo_rank`)
are worked out here, once (`build_document`). The Whoosh index (`SearchDocument.whoosh_fields`)
and the PostgreSQL table (`postgres.document_row`) only rename and join those values, so
the two backends cannot hold different documents.

A rebuild reads companies with Core `select()`s of just the needed columns, a batch of
companies at a time and one query per related table, instead of loading ORM objects: the
ORM identity map and relationship loading cost more than writing the postings.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from itertools import pairwise

from sqlalchemy import func, select

from ..models import Brand, Company, CompanyName, Identifier, Person, Position, Source
from ..models.person import ceo_rank
from .schema import brand_forms, name_forms, nickname_forms, person_forms, tokens, without_legal_suffix

BATCH = 2000


@dataclass
class CompanyFacts:
    """The columns a document needs, whatever loaded them."""

    id: int
    name: str
    slug: str
    country: str | None = None
    city: str | None = None
    sector: str | None = None
    sic_code: str | None = None
    tickers: list[str] = field(default_factory=list)
    former_names: list[str] = field(default_factory=list)
    people: list[str] = field(default_factory=list)  # current positions, in position order
    ceo: str | None = None
    brands: list[list[str]] = field(default_factory=list)  # [name, *aliases] of each brand


@dataclass
class SearchDocument:
    """One company's search document: shown values as they are, searched ones as analysed
    terms (`schema.tokens`), ready for either backend to store."""

    id: int
    name: str
    slug: str
    country: str | None  # upper-case code
    sector: str | None
    ticker: str | None  # the first ticker, as listed
    ceo: str | None
    brand_names: list[list[str]] | None  # [name, *aliases] of each brand: why a result matched
    name_words: list[str]
    core_words: list[str]  # the name's words without a leading "the" and trailing legal suffixes
    exact: list[str]  # the whole name, with and without its legal suffix, and the tickers
    former_words: list[str]
    about_words: list[str]  # city, sector and SIC code
    people_words: list[str]  # current executives' names
    person_names: list[str]  # each executive as "given surname" and in full (`schema.person_forms`)
    nicknames: list[str]  # the same under given-name diminutives (`schema.nickname_forms`)
    brand_words: list[str]
    brand_forms: list[str]  # each brand name and alias as a whole phrase

    def whoosh_fields(self) -> dict:
        """The fields of `schema.SCHEMA`, as `IndexWriter.update_document` takes them.

        Indexed fields are lists of already-analysed terms: Whoosh indexes a list as is, so
        the writer processes run no analyzer (the stored name is given separately)."""
        fields = {
            "id": str(self.id), "name": self.name_words, "_stored_name": self.name, "name_exact": self.exact,
            "name_first": self.name_words[:1], "former_names": self.former_words, "about": self.about_words,
            "people": self.people_words, "person": self.nicknames, "country": self.country,
            "sector_facet": self.sector, "slug": self.slug, "ticker": self.ticker, "ceo": self.ceo,
            "brands": self.brand_words, "brand": self.brand_forms, "brand_names": self.brand_names,
        }
        # "name" stays even when it has no words: the stored name goes with the field.
        return {key: value for key, value in fields.items() if key == "name" or value not in (None, "", [])}


def _words_of(names) -> list[str]:
    return [word for name in names for word in tokens(name)]


def _forms_of(names, forms) -> list[str]:
    """Each name's whole-name forms, once each, in order."""
    return list(dict.fromkeys(form for name in names for form in forms(name)))


def build_document(facts: CompanyFacts) -> SearchDocument:
    """The company's search document; the only place its terms are made."""
    words = tokens(facts.name)
    tickers = [ticker.lower() for ticker in facts.tickers]
    return SearchDocument(
        id=facts.id, name=facts.name, slug=facts.slug, country=(facts.country or "").upper() or None,
        sector=facts.sector or None, ticker=facts.tickers[0] if facts.tickers else None, ceo=facts.ceo,
        brand_names=facts.brands or None,
        name_words=words, core_words=without_legal_suffix(words),
        exact=list(dict.fromkeys(form for form in name_forms(words) + tickers if form)),
        former_words=_words_of(facts.former_names),
        about_words=tokens(" ".join(v for v in (facts.city, facts.sector, facts.sic_code) if v)),
        people_words=_words_of(facts.people),
        person_names=_forms_of(facts.people, person_forms), nicknames=_forms_of(facts.people, nickname_forms),
        brand_words=_words_of(name for names in facts.brands for name in names),
        brand_forms=list(dict.fromkeys(form for names in facts.brands for form in brand_forms(names))),
    )


def document_for(company: Company) -> SearchDocument:
    """The search document of an ORM company (relationships should be eager-loaded)."""
    ceo = company.ceo_position
    return build_document(CompanyFacts(
        id=company.id, name=company.name, slug=company.slug, country=company.country,
        city=company.city, sector=company.sector, sic_code=company.sic_code,
        tickers=company.tickers, former_names=[n.name for n in company.former_names],
        people=[p.person.name for p in company.current_positions],
        ceo=ceo.person.name if ceo else None,
        brands=[[b.name, *b.aliases] for b in company.brands]))


def _facts_for(connection, condition_for) -> dict[int, CompanyFacts]:
    """Facts of the companies matching `condition_for(company_id_column)`, five queries."""
    companies = Company.__table__.c
    facts = {
        row.id: CompanyFacts(row.id, row.name, row.slug, row.country, row.city, row.sector, row.sic_code)
        for row in connection.execute(
            select(companies.id, companies.name, companies.slug, companies.country, companies.city,
                   companies.sector, companies.sic_code).where(condition_for(companies.id)))
    }
    ident = Identifier.__table__.c
    # The scheme is checked here, not in SQL: given `scheme = 'ticker'`, SQLite (without
    # ANALYZE statistics) scans every ticker through the (scheme, value) index instead.
    for company_id, scheme, value in connection.execute(
            select(ident.company_id, ident.scheme, ident.value)
            .where(condition_for(ident.company_id)).order_by(ident.id)):
        if scheme == "ticker":
            facts[company_id].tickers.append(value)
    former = CompanyName.__table__.c
    for company_id, name in connection.execute(
            select(former.company_id, former.name).where(condition_for(former.company_id)).order_by(former.id)):
        facts[company_id].former_names.append(name)
    brand = Brand.__table__.c
    for company_id, name, aliases in connection.execute(
            select(brand.company_id, brand.name, brand.aliases).where(condition_for(brand.company_id))
            .order_by(brand.name)):
        facts[company_id].brands.append([name, *(aliases or [])])
    _add_people(connection, facts, condition_for)
    return facts


def _add_people(connection, facts: dict[int, CompanyFacts], condition_for) -> None:
    """Current executives' names, and the CEO chosen as `Company.ceo_position` does."""
    pos, people, sources = Position.__table__.c, Person.__table__.c, Source.__table__.c
    best_ceo: dict[int, tuple] = {}
    for row in connection.execute(
            select(pos.company_id, people.name, pos.is_ceo, pos.confirmed, pos.ceo_confidence, pos.start_date,
                   sources.kind.label("source_kind"))
            .join_from(Position.__table__, Person.__table__, pos.person_id == people.id)
            .outerjoin(Source.__table__, pos.source_id == sources.id)
            .where(condition_for(pos.company_id), pos.is_current.is_(True)).order_by(pos.id)):
        facts[row.company_id].people.append(row.name)
        if row.is_ceo:
            key = ceo_rank(row.confirmed, row.source_kind, row.ceo_confidence, row.start_date)
            if row.company_id not in best_ceo or key > best_ceo[row.company_id]:
                best_ceo[row.company_id] = key
                facts[row.company_id].ceo = row.name


def documents_for_ids(connection, ids: list[int]) -> dict[int, SearchDocument]:
    """Documents of these companies, by id; ids with no company are absent."""
    out = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        facts = _facts_for(connection, lambda column, chunk=chunk: column.in_(chunk))
        out.update((company_id, build_document(f)) for company_id, f in facts.items())
    return out


def company_id_ranges(connection, parts: int) -> list[tuple[int | None, int | None]]:
    """Split the companies into `parts` ranges of about as many companies, as (low, high)
    id bounds (low included, high excluded, None for open), in id order."""
    companies = Company.__table__.c
    total = connection.execute(select(func.count(companies.id))).scalar_one()
    bounds = [None]
    for part in range(1, parts):
        bound = connection.execute(select(companies.id).order_by(companies.id)
                                   .offset(total * part // parts).limit(1)).scalar()
        if bound is not None and bound != bounds[-1]:
            bounds.append(bound)
    bounds.append(None)
    return list(pairwise(bounds))


def all_documents(connection, batch: int = BATCH, low: int | None = None, high: int | None = None):
    """Yield lists of documents of every company (or those with low <= id < high), in id
    order, a batch at a time (keyset pagination on id, so each batch is a range scan on
    the company_id indexes)."""
    companies = Company.__table__.c
    last = None if low is None else low - 1
    while True:
        query = select(companies.id).order_by(companies.id).limit(batch)
        if last is not None:
            query = query.where(companies.id > last)
        if high is not None:
            query = query.where(companies.id < high)
        ids = connection.execute(query).scalars().all()
        if not ids:
            return
        first, last = ids[0], ids[-1]
        facts = _facts_for(connection, lambda column, first=first, last=last: column.between(first, last))
        yield [build_document(facts[i]) for i in sorted(facts)]
