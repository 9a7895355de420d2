"""Checks one plan document as Chromium rendered it (called by .ci/doc-browser.sh).

Arguments: the dumped DOM, the plan file it documents, Chromium's network log, the PDF and the PNG.
Fails (exit 1, saying why) unless the DOM shows the plan's title and name, a rendered table for every
`table` the plan file declares (with at least one row), every chart with a caption and an SVG title
(a payout curve's chart when the plan declares an attainment, else the sentence saying there is none),
and the signature block; the page made no request, the PDF has a page and the PNG is an image.
What is expected is read from the plan's text, not from the page.
"""
import html.parser
import re
import sys

from page_checks import artefact_problems


class Page(html.parser.HTMLParser):
    """The heading, the code names, the rate tables with their row counts, captions and SVG titles."""

    def __init__(self):
        super().__init__()
        self.h1, self.codes, self.tables, self.captions, self.titles = "", [], {}, [], []
        self.table, self.into, self.text, self.sections = None, None, "", []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table" and "data-table" in attrs:
            self.table = attrs["data-table"]
            self.tables[self.table] = 0
        elif tag == "tr" and self.table is not None:
            self.tables[self.table] += 1
        elif tag == "section":
            self.sections.append(attrs.get("class", ""))
        if tag in ("h1", "code", "figcaption", "title"):
            self.into, self.text = tag, ""

    def handle_data(self, data):
        if self.into:
            self.text += data

    def handle_endtag(self, tag):
        if tag == "table":
            self.table = None
        if self.into != tag:
            return
        text = " ".join(self.text.split())
        {"h1": lambda: setattr(self, "h1", text), "code": lambda: self.codes.append(text),
         "figcaption": lambda: self.captions.append(text), "title": lambda: self.titles.append(text)}[tag]()
        self.into = None


def main(dom, plan, netlog, pdf, png):
    problems = []
    source = open(plan, encoding="utf-8").read()
    header = re.search(r'^plan (\w+) "([^"]*)"', source, re.M)
    name, title = header.group(1), header.group(2)
    declared = re.findall(r"^\s*table (\w+) ", source, re.M)
    attainments = re.findall(r"^\s*attainment \w+ =", source, re.M)
    text = open(dom, encoding="utf-8").read()
    page = Page()
    page.feed(text)
    if page.h1 != title:
        problems.append(f"the heading reads {page.h1!r}, the plan's title is {title!r}")
    if name not in page.codes:
        problems.append(f"the plan's name {name!r} is not shown")
    for table in declared:
        rows = page.tables.get(table)
        if rows is None:
            problems.append(f"the table {table!r} is not rendered")
        elif rows < 2:
            problems.append(f"the table {table!r} has no row")
    for table in page.tables:
        if table not in declared:
            problems.append(f"the page renders a table {table!r} the plan does not declare")
    curves = [c for c in page.captions if c.startswith("Payout curve")]
    if attainments and not curves and "no payout curve" not in text:
        problems.append("no payout curve and no sentence saying why")
    if not attainments and "has no payout curve" not in text:
        problems.append("a plan without attainment must say it has no payout curve")
    for caption in page.captions:
        if caption not in page.titles:
            problems.append(f"the chart {caption!r} has no SVG title")
    if "signature" not in page.sections or "Signature" not in text:
        problems.append("no signature block")
    problems.extend(artefact_problems(netlog, pdf, png))
    for p in problems:
        print(f"{dom}: {p}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:6]))
