"""What every page checked in headless Chromium must show besides its content: that it loaded
nothing over the network (Chromium's net log), printed to a PDF with a page, and was screenshotted
to a PNG. Shared by statement_dom.py and doc_dom.py."""

import json


def artefact_problems(netlog, pdf, png):
    """The problems of a page's net log, PDF and screenshot, as sentences."""
    problems = []
    log = json.load(open(netlog, encoding="utf-8"))
    names = {v: k for k, v in log["constants"]["logEventTypes"].items()}
    for event in log["events"]:
        params = event.get("params", {})
        if names.get(event["type"]) == "URL_REQUEST_START_JOB" and "url" in params:
            if "file://" in params.get("network_isolation_key", "") or params.get("initiator") == "null":
                problems.append(f"the page requested {params['url']}")
    pdf_bytes = open(pdf, "rb").read()
    if not pdf_bytes.startswith(b"%PDF") or b"/Type /Page" not in pdf_bytes:
        problems.append("the PDF has no page")
    if not open(png, "rb").read(8) == b"\x89PNG\r\n\x1a\n":
        problems.append("the screenshot is no PNG")
    return problems
