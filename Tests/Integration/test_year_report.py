"""The year's report as people look at it (issue 14; 000 §8; 002's yearly compilation): the
console demo runs a year (Tests/Fixtures/demo-year.script), `kokemus report year --format html`
writes the page in fi, sv and en, and a real headless Chromium from Debian opens each: the
page's DOM has its charts with drawn bars, the screenshot shows them, no script ran or failed,
and the page prints to a PDF."""

import html.parser
import os
import re
import shutil
import subprocess

import pytest
from PIL import Image

from conftest import BINARY, ROOT

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
# The bars' fill in YearReportPage's style sheet (#2a6f97).
BAR = (0x2A, 0x6F, 0x97)

# Not skipped when missing: scripts/test installs it (scripts/install-deps), and a rendering
# test that quietly does not run would prove nothing.
assert CHROMIUM, "Debian's chromium is not installed: run scripts/install-deps"


def kokemus(*arguments, cwd):
    result = subprocess.run([str(BINARY), *arguments, "--config", str(ROOT / "Config" / "kokemus.yaml")],
                            cwd=cwd, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return result


def chromium(page, tmp_path, *arguments):
    """Chromium opening a local file, with its console on standard error: every console
    message (a script's error, a blocked script or resource) shows as an INFO:CONSOLE line."""
    profile = tmp_path / "chromium-profile"
    result = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--hide-scrollbars",
         f"--user-data-dir={profile}", "--enable-logging=stderr", "--v=0", *arguments, page.as_uri()],
        capture_output=True, text=True, timeout=120, env={**os.environ, "TZ": "Europe/Helsinki"})
    assert result.returncode == 0, result.stderr[-2000:]
    return result


def console(result):
    return [line for line in result.stderr.splitlines() if ":CONSOLE" in line]


class Charts(html.parser.HTMLParser):
    """The charts in a DOM: per <svg class="chart">, its bars' widths or heights."""

    def __init__(self):
        super().__init__()
        self.charts = []
        self.lang = None
        self.scripts = 0

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "html":
            self.lang = attributes.get("lang")
        elif tag == "script":
            self.scripts += 1
        elif tag == "svg" and "chart" in (attributes.get("class") or ""):
            self.charts.append([])
        elif tag == "rect" and attributes.get("class") == "bar" and self.charts:
            self.charts[-1].append(min(float(attributes["width"]), float(attributes["height"])))


@pytest.fixture(scope="module")
def year(tmp_path_factory):
    """The demo's year in a state directory, and its report in three languages."""
    directory = tmp_path_factory.mktemp("year")
    state = directory / "state"
    demo = kokemus("demo", "--state", str(state), "--script", str(ROOT / "Tests" / "Fixtures" / "demo-year.script"),
                   cwd=directory)
    assert "T-2026-0004" in demo.stdout
    pages = {}
    for language in ("fi", "sv", "en"):
        page = directory / f"year-{language}.html"
        kokemus("report", "year", "--year", "2026", "--now", "2026-12-31T12:00", "--state", str(state),
                "--format", "html", "--language", language, "--output", str(page), cwd=directory)
        pages[language] = page
    pages["state"] = state
    return pages


@pytest.mark.parametrize("language,heading", [
    ("fi", "Tehtävät kuukausittain"), ("sv", "Uppdrag per månad"), ("en", "Tasks per month")])
def test_the_page_renders_its_charts_without_script_errors(year, tmp_path, language, heading):
    page = year[language]
    dom = chromium(page, tmp_path, "--dump-dom")
    assert console(dom) == [], console(dom)
    parsed = Charts()
    parsed.feed(dom.stdout)
    assert parsed.lang == language and parsed.scripts == 0
    assert heading in dom.stdout
    # Eight charts (month, unit, fees per unit, topic, task, fill time, offers, feedback),
    # each with bars, and in each at least one drawn: the demo's year has work in all of them.
    assert len(parsed.charts) == 8, parsed.charts
    assert all(chart and max(chart) > 0 for chart in parsed.charts), parsed.charts
    # Months: work in February, April and September only.
    assert [size > 0 for size in parsed.charts[0]] == [m in (2, 4, 9) for m in range(1, 13)]

    shot = tmp_path / f"year-{language}.png"
    result = chromium(page, tmp_path, "--window-size=800,4200", f"--screenshot={shot}")
    assert console(result) == [], console(result)
    image = Image.open(shot).convert("RGB")
    assert image.size == (800, 4200)
    bar_pixels = sum(count for count, colour in image.getcolors(maxcolors=1 << 20)
                     if all(abs(a - b) <= 4 for a, b in zip(colour, BAR)))
    # The bars are drawn as seen, not only in the DOM: thousands of pixels of their colour.
    assert bar_pixels > 5000, bar_pixels
    # Nothing runs past the page's right edge: the client's comment of one 400-letter word
    # wraps inside its box (the body is 700 px wide in the middle of 800).
    width, height = image.size
    right_margin = image.crop((width - 30, 0, width, height)).getcolors(maxcolors=1 << 16)
    assert right_margin == [(30 * height, (255, 255, 255))], right_margin[:5]


def test_the_report_prints_to_a_pdf_of_a4_pages(year, tmp_path):
    """`--format pdf`: the same page printed by the same Chromium, A4, onto several pages."""
    pdf = tmp_path / "year.pdf"
    kokemus("report", "year", "--year", "2026", "--now", "2026-12-31T12:00", "--state", str(year["state"]),
            "--format", "pdf", "--language", "sv", "--output", str(pdf), cwd=tmp_path)
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF-") and len(data) > 10_000
    assert b"Erfarenhetsexpertverksamheten 2026" in data  # the document's title
    pages = re.findall(rb"/Type\s*/Page[^s]", data)
    assert len(pages) >= 2, len(pages)
    boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", data)
    assert boxes and all(round(float(w)) == 595 and round(float(h)) == 842 for w, h in boxes), boxes


def test_a_pdf_without_chromium_is_a_clear_error(year, tmp_path):
    result = subprocess.run(
        [str(BINARY), "report", "year", "--year", "2026", "--state", str(year["state"]), "--format", "pdf",
         "--output", str(tmp_path / "x.pdf"), "--config", str(ROOT / "Config" / "kokemus.yaml")],
        capture_output=True, text=True, timeout=60, env={**os.environ, "PATH": str(tmp_path), "KOKEMUS_CHROMIUM": ""})
    assert result.returncode != 0 and "no chromium to print with" in result.stderr
    assert not (tmp_path / "x.pdf").exists()


def test_a_printer_that_fakes_a_pdf_or_a_wrong_output_is_refused(year, tmp_path):
    """A "PDF" without its end marker is no PDF; an output that is a directory or a link is
    refused before any printer starts."""
    marker = tmp_path / "started"
    fake = tmp_path / "fake-chromium"
    fake.write_text('#!/bin/sh\ntouch "%s"\nfor a in "$@"; do case "$a" in --print-to-pdf=*) '
                    'echo "%%PDF-1.4 not really" > "${a#--print-to-pdf=}";; esac; done\n' % marker)
    fake.chmod(0o755)

    def report(output):
        return subprocess.run(
            [str(BINARY), "report", "year", "--year", "2026", "--state", str(year["state"]), "--format", "pdf",
             "--output", str(output), "--config", str(ROOT / "Config" / "kokemus.yaml")],
            capture_output=True, text=True, timeout=60, env={**os.environ, "KOKEMUS_CHROMIUM": str(fake)})

    result = report(tmp_path / "x.pdf")
    assert result.returncode != 0 and "did not print the page" in result.stderr and marker.exists()
    assert not (tmp_path / "x.pdf").exists()
    marker.unlink()
    link = tmp_path / "link.pdf"
    link.symlink_to(tmp_path / "elsewhere.pdf")
    for output in (tmp_path, link):
        result = report(output)
        assert result.returncode != 0 and "is not a regular file" in result.stderr, result.stderr
    assert not marker.exists() and link.is_symlink()


def test_a_script_error_would_be_seen(tmp_path):
    """The check above is not blind: a page whose script fails shows on the console."""
    page = tmp_path / "broken.html"
    page.write_text('<!DOCTYPE html><html><body><script>throw new Error("kaboom")</script></body></html>')
    result = chromium(page, tmp_path, "--dump-dom")
    assert any("kaboom" in line for line in console(result)), result.stderr[-2000:]
