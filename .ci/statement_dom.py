"""Checks one golden statement as Chromium rendered it (called by .ci/statement-browser.sh).

Arguments: the dumped DOM, the rep's payouts.csv (`compplan run --format csv`), Chromium's network
log, the PDF and the PNG. Fails (exit 1, saying why) unless the DOM shows the total and every payout
line with its amount as `run` pays it, every chart has a caption and an SVG title, the page made no
request, the PDF has a page and the PNG is an image.
"""
import csv
import html.parser
import sys

from page_checks import artefact_problems


def grouped(amount):
    sign, digits = ("-", amount[1:]) if amount.startswith("-") else ("", amount)
    whole, _, frac = digits.partition(".")
    return sign + f"{int(whole):,}" + ("." + frac if frac else "")


class Page(html.parser.HTMLParser):
    """The payout rows (component → amount cell), the total, the captions and SVG titles."""

    def __init__(self):
        super().__init__()
        self.lines, self.total, self.captions, self.titles = {}, None, [], []
        self.row, self.cell, self.into, self.text = None, 0, None, ""

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "tr" and "data-component" in attrs:
            self.row, self.cell = attrs["data-component"], 0
        elif tag == "td" and self.row is not None:
            self.cell += 1
            if self.cell == 2:
                self.into, self.text = "line", ""
        elif tag == "strong" and "data-total" in attrs:
            self.into, self.text = "total", ""
        elif tag in ("figcaption", "title"):
            self.into, self.text = tag, ""

    def handle_data(self, data):
        if self.into:
            self.text += data

    def handle_endtag(self, tag):
        if self.into == "line" and tag == "td":
            self.lines[self.row] = self.text.strip()
        elif self.into == "total" and tag == "strong":
            self.total = self.text.strip()
        elif self.into == "figcaption" and tag == "figcaption":
            self.captions.append(self.text.strip())
        elif self.into == "title" and tag == "title":
            self.titles.append(self.text.strip())
        else:
            if tag == "tr":
                self.row = None
            return
        self.into = None


def main(dom, payouts, netlog, pdf, png):
    problems = []
    page = Page()
    page.feed(open(dom, encoding="utf-8").read())
    rows = list(csv.DictReader(open(payouts, encoding="utf-8")))
    if not rows:
        problems.append("run paid nothing")
    for row in rows:
        want = f"{grouped(row['amount'])} {row['currency']}"
        got = page.lines.get(row["component"])
        if got != want:
            problems.append(f"line {row['component']}: the page shows {got!r}, run pays {want!r}")
        if row["component"] == "total" and page.total != want:
            problems.append(f"the total reads {page.total!r}, run pays {want!r}")
    if len(page.lines) != len(rows):
        problems.append(f"the page has {len(page.lines)} lines, run pays {len(rows)}")
    charts = [c for c in page.captions if c.startswith(("Attainment", "Plan year so far", "Payout curve"))]
    if not any(c.startswith("Plan year so far") for c in charts):
        problems.append("no chart of the year so far")
    for caption in charts:
        if caption not in page.titles:
            problems.append(f"the chart {caption!r} has no SVG title")
    problems.extend(artefact_problems(netlog, pdf, png))
    for p in problems:
        print(f"{dom}: {p}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:6]))
