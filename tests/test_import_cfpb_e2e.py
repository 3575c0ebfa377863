"""`flask scrape cfpb` end to end: the CFPB's complaints CSV served on loopback (the real excerpt,
a partial file, a 404, a 429 then the file), matched to companies, shown on the complaints step,
doubtful matches confirmed by a moderator, carried by the snapshot."""
from __future__ import annotations

import csv
import io
import json
from datetime import date, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup
from jsonschema import Draft202012Validator
from sqlalchemy import select

from directory.extensions import db
from directory.models import ComplaintRecord
from directory.snapshot.schema import snapshot_line_schema
from scrapers.cfpb import ComplaintTally, normalise_company_name, read_complaints

from .community import log_in, make_user, submit
from .conftest import SHARED, _config
from .edgar_server import EdgarServer, Scripted
from .factories import make_company

EXCERPT = SHARED / "fixtures" / "real" / "cfpb" / "complaints_excerpt.csv"
PATH = "/complaints.csv"
HEADER = ("Date received,Product,Sub-product,Issue,Sub-issue,Consumer complaint narrative,Company public response,"
          "Company,State,ZIP code,Tags,Consumer consent provided?,Submitted via,Date sent to company,"
          "Company response to consumer,Timely response?,Consumer disputed?,Complaint ID\n")


def row(day: str, company: str, response: str = "Closed with explanation", timely: str = "Yes", number: int = 1) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow(
        [day, "Mortgage", "", "Trouble", "", "I called and\nnobody answered, \"twice\"", "", company, "CA", "90001", "",
         "", "Web", day, response, timely, "N/A", str(number)])
    return out.getvalue()


@pytest.fixture
def server():
    with EdgarServer() as running:
        yield running


@pytest.fixture
def app_config(tmp_path, database_uri, server):
    return _config(tmp_path, database_uri, CFPB_URL=f"{server.base_url}{PATH}",
                   SCRAPER_USER_AGENT="CEO Directory tests tests@example.org")


def serve(server, body: str, *before: Scripted) -> None:
    server.script(PATH, *before, Scripted(200, body.encode(), {"Content-Type": "text/csv"}))


def scrape(runner, *args):
    return runner.invoke(args=["scrape", "cfpb", *args])


def records() -> dict[str, ComplaintRecord]:
    return {r.cfpb_company: r for r in db.session.scalars(select(ComplaintRecord))}


def complaints_step(client, slug: str):
    soup = BeautifulSoup(client.get(f"/companies/{slug}").get_data(as_text=True), "lxml")
    return soup.select_one("#rung-complaints")


def test_names_are_compared_without_legal_words_or_punctuation():
    assert normalise_company_name("WELLS FARGO & COMPANY") == normalise_company_name("Wells Fargo & Co") == "wells fargo"
    assert normalise_company_name("CITIBANK, N.A.") == "citibank"
    assert normalise_company_name("BANK OF AMERICA, NATIONAL ASSOCIATION") == "bank of america"
    assert normalise_company_name("EQUIFAX, INC.") == normalise_company_name("Equifax Inc") == "equifax"


def test_the_period_is_the_year_up_to_the_newest_complaint_whatever_the_order():
    problems = []
    body = HEADER + row("2023-01-10", "A INC") + row("2021-05-01", "A INC") + row("01/11/2022", "A INC") \
        + row("2022-01-09", "B INC", response="Closed with monetary relief", timely="No") + row("soon", "A INC") \
        + "2023-02-01,Mortgage,cut"
    tally = ComplaintTally()
    for complaint in read_complaints(io.StringIO(body), lambda line, message: problems.append((line, message))):
        tally.add(complaint)
    result = tally.result()
    assert (result.period_start, result.period_end) == (date(2022, 1, 11), date(2023, 1, 10))
    assert {name: counts.received for name, counts in result.companies.items()} == {"A INC": 2}
    assert result.rows == 4
    assert [message for _, message in problems] == ["not a date: 'soon'; skipped",
                                                    "row has 3 fields instead of 18 (cut off?); skipped"]


def expected_counts(name: str) -> tuple[date, date, int, int, int]:
    """What the excerpt says about one CFPB name, read here with the standard library."""
    with EXCERPT.open(newline="", encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if r.get("Complaint ID")]
    end = max(date.fromisoformat(r["Date received"]) for r in rows)
    start = end - timedelta(days=364)
    mine = [r for r in rows if r["Company"] == name and date.fromisoformat(r["Date received"]) >= start]
    return (start, end, len(mine), sum(r["Timely response?"] == "Yes" for r in mine),
            sum(r["Company response to consumer"] in ("Closed with monetary relief", "Closed with non-monetary relief")
                for r in mine))


def test_the_real_excerpt_fills_the_complaints_step_of_the_companies_it_names(app, runner, client, server,
                                                                               shared_fixtures):
    with app.app_context():
        make_company("Equifax Inc.", slug="equifax")
        make_company("Wells Fargo & Co", slug="wells-fargo")
        make_company("Experian plc", slug="experian", country="GB")
        make_company("Citigroup Inc.", slug="citigroup")
        db.session.commit()
    serve(server, EXCERPT.read_text(encoding="utf-8"))
    serve(server, EXCERPT.read_text(encoding="utf-8"))  # for the second run

    result = scrape(runner)

    assert result.exit_code == 0, result.output
    start, end, received, timely, relief = expected_counts("EQUIFAX, INC.")
    assert f"complaints received {start} to {end}" in result.output
    assert "Rows skipped: 1." in result.output and "cut off" in result.output  # the excerpt's last row
    with app.app_context():
        found = records()
        equifax = found["EQUIFAX, INC."]
        assert (equifax.match, equifax.company.slug) == ("name", "equifax")
        assert (equifax.period_start, equifax.period_end) == (start, end)
        assert (equifax.received, equifax.timely, equifax.relief) == (received, timely, relief)
        assert received > 0
        assert found["WELLS FARGO & COMPANY"].company.slug == "wells-fargo"
        assert found["Experian Information Solutions Inc."].match == "pending"  # doubtful: a moderator decides
        assert "CITIBANK, N.A." not in found  # Citibank is not Citigroup by name
        assert equifax.source.kind == "complaints_database"

    step = complaints_step(client, "equifax")
    text = " ".join(step.get_text(" ").split())
    assert f"{received:,} complaints received" in text
    assert f"{round(timely * 100 / received)}% answered in time" in text
    assert f"{round(relief * 100 / received)}% closed with relief" in text
    assert "CFPB consumer complaints" in client.get("/companies/equifax").get_data(as_text=True)  # when it read
    link = step.find("a", string="Read these complaints on the CFPB's site")["href"]
    query = parse_qs(urlsplit(link).query)
    assert link.startswith("https://www.consumerfinance.gov/data-research/consumer-complaints/search/")
    assert query == {"company": ["EQUIFAX, INC."], "date_received_min": [start.isoformat()],
                     "date_received_max": [end.isoformat()]}
    assert "Complaints to the US Consumer Financial Protection Bureau" not in complaints_step(client, "experian").get_text()
    api = client.get("/api/v1/companies/equifax").get_json()["cfpb_complaints"]
    assert api["received"] == received and api["search_url"] == link

    second = scrape(runner)  # the same data again changes nothing
    assert second.exit_code == 0 and "0 new, 0 updated" in second.output


def test_a_moderator_confirms_a_doubtful_match_and_its_figures_show(app, runner, client, server):
    serve(server, HEADER + row("2024-03-01", "EXPERIAN INFORMATION SOLUTIONS INC.")
          + row("2024-02-01", "EXPERIAN INFORMATION SOLUTIONS INC.", response="Closed with non-monetary relief"))
    with app.app_context():
        make_company("Experian plc", slug="experian", country="GB")
        make_user("mod@example.org", role="moderator")
        db.session.commit()
    assert scrape(runner).exit_code == 0
    with app.app_context():
        record_id = records()["EXPERIAN INFORMATION SOLUTIONS INC."].id

    log_in(client, "mod@example.org")
    queue = client.get("/moderate/?kind=complaint_match").get_data(as_text=True)
    assert "EXPERIAN INFORMATION SOLUTIONS INC." in queue
    response = submit(client, f"/moderate/complaint-records/{record_id}", {"action": "confirm"})
    assert response.status_code in (302, 303)

    text = " ".join(complaints_step(client, "experian").get_text(" ").split())
    assert "2 complaints received" in text and "50% closed with relief" in text
    serve(server, HEADER + row("2024-04-01", "EXPERIAN INFORMATION SOLUTIONS INC."))
    assert scrape(runner).exit_code == 0  # the next run keeps the decision and updates the counts
    with app.app_context():
        record = records()["EXPERIAN INFORMATION SOLUTIONS INC."]
        assert (record.match, record.received) == ("confirmed", 1)


def test_a_partial_csv_counts_its_whole_rows_and_logs_the_cut_one(app, runner, server):
    body = HEADER + row("2024-03-01", "WELLS FARGO & COMPANY") + row("2024-03-02", "WELLS FARGO & COMPANY")
    serve(server, body + row("2024-03-03", "WELLS FARGO & COMPANY")[:60])
    with app.app_context():
        make_company("Wells Fargo & Co", slug="wells-fargo")
        db.session.commit()
    result = scrape(runner)
    assert result.exit_code == 0, result.output
    assert "Rows skipped: 1." in result.output
    with app.app_context():
        assert records()["WELLS FARGO & COMPANY"].received == 2


def test_a_missing_file_is_reported_and_stores_nothing(app, runner, server):
    server.script(PATH, Scripted(404, b"no such file"))
    with app.app_context():
        make_company("Wells Fargo & Co", slug="wells-fargo")
        db.session.commit()
    result = scrape(runner)
    assert result.exit_code == 1
    assert "HTTP 404" in result.output
    with app.app_context():
        assert records() == {}


def test_a_429_is_waited_out_then_the_file_is_read(app, runner, server):
    serve(server, HEADER + row("2024-03-01", "WELLS FARGO & COMPANY"), Scripted(429, headers={"Retry-After": "0"}))
    with app.app_context():
        make_company("Wells Fargo & Co", slug="wells-fargo")
        db.session.commit()
    result = scrape(runner)
    assert result.exit_code == 0, result.output
    assert len(server.requests_for(PATH)) == 2
    assert server.requests_for(PATH)[0].user_agent == "CEO Directory tests tests@example.org"
    with app.app_context():
        assert records()["WELLS FARGO & COMPANY"].received == 1


def test_since_counts_from_that_day(app, runner, server):
    body = HEADER + "".join(row(day, "WELLS FARGO & COMPANY") for day in ("2024-03-01", "2023-06-01", "2022-01-01"))
    server.script(f"{PATH}?date_received_min=2022-01-01", Scripted(200, body.encode()))
    with app.app_context():
        make_company("Wells Fargo & Co", slug="wells-fargo")
        db.session.commit()
    result = scrape(runner, "--since", "2022-01-01")
    assert result.exit_code == 0, result.output
    assert len(server.requests_for(f"{PATH}?date_received_min=2022-01-01")) == 1  # the API is asked for them only
    with app.app_context():
        record = records()["WELLS FARGO & COMPANY"]
        assert (record.period_start, record.received) == (date(2022, 1, 1), 3)


def test_the_snapshot_carries_the_figures(app, runner, server, tmp_path):
    serve(server, HEADER + row("2024-03-01", "WELLS FARGO & COMPANY", response="Closed with monetary relief"))
    with app.app_context():
        make_company("Wells Fargo & Co", slug="wells-fargo")
        db.session.commit()
    assert scrape(runner).exit_code == 0
    path = tmp_path / "snapshot.jsonl"
    assert runner.invoke(args=["export", str(path)]).exit_code == 0
    (line,) = [json.loads(text) for text in path.read_text().splitlines()]
    Draft202012Validator(snapshot_line_schema()).validate(line)  # the published schema describes it
    assert [(r["cfpb_company"], r["received"], r["source"]["kind"]) for r in line["complaint_records"]] == \
        [("WELLS FARGO & COMPANY", 1, "complaints_database")]
    with app.app_context():
        db.session.delete(records()["WELLS FARGO & COMPANY"])
        db.session.commit()
    result = runner.invoke(args=["import", str(path)])
    assert result.exit_code == 0, result.output
    with app.app_context():
        record = records()["WELLS FARGO & COMPANY"]
        assert (record.company.slug, record.received, record.relief, record.period_end) == \
            ("wells-fargo", 1, 1, date(2024, 3, 1))
        assert record.source.kind == "complaints_database"


def test_a_rejected_match_never_counts_nor_comes_back(app, runner, client, server):
    serve(server, HEADER + row("2024-03-01", "EXPERIAN INFORMATION SOLUTIONS INC."))
    serve(server, HEADER + row("2024-04-01", "EXPERIAN INFORMATION SOLUTIONS INC."))
    with app.app_context():
        make_company("Experian plc", slug="experian", country="GB")
        make_user("mod@example.org", role="moderator")
        db.session.commit()
    assert scrape(runner).exit_code == 0
    with app.app_context():
        record_id = records()["EXPERIAN INFORMATION SOLUTIONS INC."].id
    log_in(client, "mod@example.org")
    assert submit(client, f"/moderate/complaint-records/{record_id}", {"action": "reject"}).status_code in (302, 303)

    result = scrape(runner)
    assert result.exit_code == 0 and "new doubtful matches for moderators: 0" in result.output
    with app.app_context():
        assert records()["EXPERIAN INFORMATION SOLUTIONS INC."].match == "rejected"
    assert "EXPERIAN" not in client.get("/moderate/?kind=complaint_match").get_data(as_text=True)
    assert complaints_step(client, "experian").select_one(".complaint-figures") is None


def test_the_snapshot_build_stage_reads_the_real_excerpt_over_loopback(app, shared_fixtures, tmp_path):
    from datetime import date

    from directory.snapshot.build import Build, cfpb_complaints

    build = Build(work=tmp_path, built_on=date(2026, 12, 8), real=EXCERPT.parent.parent)
    with app.app_context():
        make_company("Equifax Inc.", slug="equifax")
        db.session.commit()
        try:
            cfpb_complaints(build)
        finally:
            build.close()
        equifax = records()["EQUIFAX, INC."]
        assert equifax.received == expected_counts("EQUIFAX, INC.")[2]
        assert equifax.source.url == "https://www.consumerfinance.gov/data-research/consumer-complaints/"
