"""Both search backends hold the same documents: the bench's synthetic companies and the
cases where a second definition would drift (no CEO, CEOs from two sources, brands with
aliases, former names, accents, name suffixes), read back from the Whoosh index and from
`search_documents`, written by commits and by a rebuild, compared field by field.
The comparison with Whoosh runs only where the tests run on PostgreSQL."""
from __future__ import annotations

import random
from datetime import date

import pytest
from sqlalchemy import select, text

from bench.search import generate
from directory import search_index
from directory.extensions import db
from directory.models import Brand, Company, Identifier, Person, Position
from directory.search_index import postgres, rebuilding
from directory.search_index.nicknames import given_name_variants
from directory.search_index.state import current_state
from tests.factories import make_company, make_position, make_source

BENCH_COMPANIES = 300
# The Whoosh fields read back term by term, as the common field they hold.
WHOOSH_TERMS = {"name": "name_words", "name_first": "first_word", "name_exact": "exact", "former_names": "former_words",
                "people": "people_words", "person": "nicknames", "brands": "brand_words", "brand": "brand_forms",
                "about": "about_words", "sector_facet": "sector"}


@pytest.fixture
def app_config(app_config, search_backend):
    return {**app_config, "SEARCH_BACKEND": search_backend}


def _add_bench_companies(count: int) -> None:
    """`bench/search.py`'s generated companies, through the ORM so each commit writes the
    configured backend's documents as an import's would."""
    for companies, people, positions, identifiers in generate(count, random.Random(31)):
        made = {row.pop("id"): Company(**row) for row in companies}
        persons = {row.pop("id"): Person(**row) for row in people}
        for row in positions:
            made[row.pop("company_id")].positions.append(Position(person=persons[row.pop("person_id")], **row))
        for row in identifiers:
            made[row.pop("company_id")].identifiers.append(Identifier(**row))
        db.session.add_all(made.values())
    db.session.commit()


def _add_edge_cases() -> None:
    wikidata = make_source(kind="wikidata", url="https://www.wikidata.org/wiki/Q1", document_id="Q1", form_type=None)
    make_company("Quiet Holdings Ltd", executives=[("Ann Other", "Director", "director")])  # no CEO at all
    make_company("Nameless Widgets", ceo="Cher")  # a one-word person: words, no whole-name form
    # Wikidata says so with full confidence; a filing's guess from a title still wins.
    disputed = make_company("Disputed Corp.", ceo="Filing Person")
    disputed.positions[0].ceo_confidence = 0.6
    make_position(disputed, "Wikidata Person", "Chief Executive Officer", role="ceo", is_ceo=True, source=wikidata,
                  ceo_confidence=1.0)
    # ... unless a moderator confirmed the Wikidata one.
    confirmed = make_company("Confirmed Corp.", ceo="Filing Guess")
    make_position(confirmed, "Checked Person", "CEO", role="ceo", is_ceo=True, source=wikidata, confirmed=True)
    # Same claim twice: the newer start wins; a former CEO never counts.
    handover = make_company("Handover Inc.", ceo="Old Hand", former_names=["Handover Holdings, Inc.", "Ex Corp"])
    handover.positions[0].start_date = date(2015, 1, 1)
    make_position(handover, "New Hand", "Chief Executive Officer", role="ceo", is_ceo=True,
                  source=handover.positions[0].source, start_date=date(2024, 3, 1))
    make_position(handover, "Gone Boss", "Chief Executive Officer", role="ceo", is_ceo=True, is_current=False,
                  ceo_confidence=1.0)
    sony = make_company("Sony Group Corporation", ticker="SONY", country="jp", sector="Electronics",
                        ceo="Kenichiro Yoshida Jr.", executives=[("Martin Luther King III", "Director", "director")])
    sony.identifiers.append(Identifier(scheme="ticker", value="6758.T"))
    sony.brands.extend([Brand(name="PlayStation", aliases=["PS5", "Play Station"]), Brand(name="Hotels.com"),
                        Brand(name="!!!", aliases=["Aibo"])])
    make_company("Nestlé S.A.", country="CH", city="Vevey", ceo="Laurent Freixe",
                 former_names=["Société des Produits Nestlé"])
    make_company("Ørsted A/S", country="DK", ceo="Mads Nipper", executives=[("José Viñals", "Chair", "chair")])
    make_company("Straße Bau GmbH", country="DE", ceo="Jürgen Müller-Lüdenscheidt")
    make_company("The Home Depot, Inc.", ticker="HD", sector="", ceo="Edward P. Decker")
    make_company("...", slug="no-words")  # a name with no words at all
    db.session.commit()


def _change_some() -> None:
    """Later commits rewrite existing documents: a CEO leaves, a company is renamed (one
    bench company in seven)."""
    for company in db.session.scalars(select(Company).where(Company.id % 7 == 0, Company.id <= BENCH_COMPANIES)):
        for position in company.positions:
            if position.is_ceo:
                position.is_current = False
        company.name = f"{company.name} Renamed"
    db.session.commit()


def _whoosh_held() -> dict[int, dict]:
    """What the Whoosh index holds, by company: stored values, and each field's terms."""
    with current_state().searcher(fresh=True) as searcher:
        reader = searcher.reader()
        ids = {docnum: int(stored["id"]) for docnum, stored in reader.iter_docs()}
        held = {ids[docnum]: {"name": stored["name"], "slug": stored["slug"], "ticker": stored.get("ticker"),
                              "country": stored.get("country"), "ceo": stored.get("ceo"),
                              "brand_names": stored.get("brand_names"),
                              **{common: set() for common in WHOOSH_TERMS.values()}}
                for docnum, stored in reader.iter_docs()}
        for fieldname, common in WHOOSH_TERMS.items():
            for term in reader.lexicon(fieldname):
                for docnum in reader.postings(fieldname, term).all_ids():
                    if docnum in ids:
                        held[ids[docnum]][common].add(term.decode())
    for document in held.values():
        document["sector"] = next(iter(document["sector"]), None)
        document["first_word"] = next(iter(document["first_word"]), None)
        about = document.pop("about_words")
        document["all_words"] = about.union(*(document[field] for field in ("name_words", "former_words",
                                                                            "people_words", "brand_words")))
    return held


def _postgres_held() -> dict[int, dict]:
    """What `search_documents` holds, by company, in the Whoosh fields' terms. Postgres keeps
    each person's formal name and expands the query's given name; Whoosh keeps the name under
    its diminutives: the same people, compared as the diminutive forms."""
    rows = db.session.execute(text("SELECT * FROM search_documents")).mappings().all()
    return {row["company_id"]: {
        "name": row["name"], "slug": row["slug"], "ticker": row["ticker"], "country": row["country"],
        "ceo": row["ceo"], "brand_names": row["brand_names"], "sector": row["sector"],
        "name_words": set(row["name_words"]), "first_word": row["name_words"][0] if row["name_words"] else None,
        "exact": set(row["name_exact"]), "former_words": set(row["former_words"]),
        "people_words": set(row["people_words"]), "brand_words": set(row["brand_words"]),
        "brand_forms": set(filter(None, row["brand_text"].split("|"))), "all_words": set(row["all_words"]),
        "nicknames": {" ".join([variant, *form.split()[1:]]) for form in row["person"]
                      for variant in given_name_variants(form.split()[0])},
    } for row in rows}


def _differences(ours: dict[int, dict], theirs: dict[int, dict]) -> list[tuple]:
    """(company, field, ours, theirs) wherever the two disagree, a company missing included."""
    out = [(company_id, "document", company_id in ours, company_id in theirs)
           for company_id in sorted(ours.keys() ^ theirs.keys())]
    for company_id in sorted(ours.keys() & theirs.keys()):
        for field in sorted(ours[company_id].keys() | theirs[company_id].keys()):
            mine, other = ours[company_id].get(field), theirs[company_id].get(field)
            if mine != other:
                out.append((company_id, field, mine, other))
    return out


HELD = {"whoosh": _whoosh_held, "postgres": _postgres_held}


def test_commits_write_what_a_rebuild_writes_and_name_the_ceo_ceo_rank_picks(app, search_backend):
    with app.app_context():
        _add_bench_companies(BENCH_COMPANIES)
        _add_edge_cases()
        _change_some()
        written = HELD[search_backend]()
        rebuild = postgres.rebuild if search_backend == "postgres" else rebuilding.rebuild
        assert rebuild() == len(written) == BENCH_COMPANIES + 11
        assert _differences(written, HELD[search_backend]()) == []

        companies = db.session.scalars(select(Company)).all()
        ceos = {c.id: c.ceo_position.person.name if c.ceo_position else None for c in companies}
        assert {company_id: held["ceo"] for company_id, held in written.items()} == ceos
        by_name = {c.name: written[c.id] for c in companies}
    assert [by_name[name]["ceo"] for name in ("Quiet Holdings Ltd", "Disputed Corp.", "Confirmed Corp.",
                                              "Handover Inc.")] == [None, "Filing Person", "Checked Person", "New Hand"]
    assert {"nestle", "vevey", "societe", "produits"} <= by_name["Nestlé S.A."]["all_words"]
    assert by_name["Nestlé S.A."]["exact"] == {"nestle s a"}  # "S.A." is two words, not the suffix "sa"
    assert by_name["Ørsted A/S"]["name_words"] == {"orsted", "a", "s"}
    assert by_name["Straße Bau GmbH"]["name_words"] == {"strasse", "bau", "gmbh"}
    assert {"jose", "vinals"} <= by_name["Ørsted A/S"]["people_words"]
    assert by_name["Sony Group Corporation"]["exact"] == {"sony group corporation", "sony group", "sony", "6758.t"}
    assert by_name["Sony Group Corporation"]["brand_forms"] == {"playstation", "ps5", "play station", "hotels com",
                                                               "aibo"}
    assert by_name["Sony Group Corporation"]["country"] == "JP"
    assert by_name["The Home Depot, Inc."]["sector"] is None
    assert by_name["..."]["name_words"] == set() and by_name["..."]["first_word"] is None


def test_postgres_holds_what_whoosh_holds(app, search_backend):
    if search_backend != "postgres":
        pytest.skip("compares the postgres backend's rows with the Whoosh index")
    with app.app_context():
        _add_bench_companies(BENCH_COMPANIES)
        _add_edge_cases()
        _change_some()
        written = _postgres_held()  # by the commits, in their own transactions
        rebuilding.rebuild()  # the Whoosh index, from the same database
        assert _differences(written, _whoosh_held()) == []
        postgres.rebuild()
        assert _differences(_postgres_held(), _whoosh_held()) == []


def test_a_sharp_s_or_a_ligature_is_found_as_written_and_spelled_out(app):
    """Both backends fold "ß" to "ss" and "æ", "œ" to two letters, in documents and queries
    alike (before, Whoosh folded "ß" to "s", and the postgres documents folded it apart from
    the query, so each backend missed one of "straße" and "strasse")."""
    with app.app_context():
        make_company("Straße Bau GmbH", country="DE", ceo="Jürgen Weiß")
        make_company("Æon Œuvre Ltd", country="GB")
        db.session.commit()
        for query in ("strasse", "Straße", "STRASSE bau", "jurgen weiss", "weiß", "aeon", "æon œuvre", "oeuvre ltd"):
            assert search_index.search(query).total == 1, query
