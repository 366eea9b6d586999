"""The rendered book as a reader meets it: every page of the table of contents in headless Chromium.

Uses the smoke-profile build that test_book.py makes (built once per run, see book_build.py),
served over HTTP on 127.0.0.1. Checks, per page: no console errors, every local link, anchor and
image resolves, no script comes from another host (MathJax is shipped with the book), every
formula is typeset (no raw ``\\(`` or ``\\[`` left in the visible text once MathJax has run), no
output box shows a traceback or a warning, no code cell or table needs sideways scrolling at
1280 px (with every toggle and dropdown opened), and the page is not flooded with printed
output; each chapter shows numbered figures; exercise solutions open on click; every Colab link
and notebook download on an exercise page leads to the student edition. A screenshot of each
page is saved under ``_build/screenshots/`` (with ``heights.json``, the page heights in pixels).

Needs Chromium and its driver (Debian: ``apt-get install chromium chromium-driver``) and the
``selenium`` package (the ``test`` extra); ``.ci/run`` installs the browser when missing.
"""

from __future__ import annotations

import functools
import http.server
import json
import re
import shutil
import threading
import time
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest

from conftest import ROOT
from tests.book_build import build_book, chapter_label, toc_pages

#: Most printed output a page may show at 1280 px, in pixels: the text boxes under code cells,
#: added up (chapter 3, the most, prints about 2,800 px on the smoke profile; a training loop
#: that prints every step floods far past it).
MAX_PRINTED_HEIGHT = 5_000
#: Tallest page allowed at 1280 px as it opens: a long chapter of text, code in view and figures
#: (chapter 3, about 23,500 px on the smoke profile) stays below it.
MAX_PAGE_HEIGHT = 28_000
WIDTH = 1280
SCREENSHOTS = ROOT / "_build" / "screenshots"
HOW_TO_GET_IT = (
    "headless Chromium is needed: `apt-get install chromium chromium-driver` (Debian) and "
    "`pip install selenium` (in the test extra); .ci/run installs both when missing"
)
#: Seconds a page may take to typeset its formulas.
MATH_TIMEOUT = 15
#: Text in an output box that means something went wrong on the page.
BAD_OUTPUT = re.compile(
    r"Traceback \(most recent call last\)|\b[A-Z]\w*(Warning|Error)\b:|^\s*WARNING\b(?!: Profile)",
    re.MULTILINE,
)


def _browser_paths() -> tuple[str, str] | None:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    return (chromium, driver) if chromium and driver else None


@pytest.fixture(scope="session")
def book(tmp_path_factory):
    return build_book(tmp_path_factory)


@pytest.fixture(scope="session")
def server(book):
    if not (book.html / "index.html").is_file():  # a build with warnings is test_book's to report
        pytest.fail("the book was not built:\n" + book.log)
    handler = functools.partial(_QuietHandler, directory=str(book.html))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="session")
def browser():
    webdriver = pytest.importorskip("selenium.webdriver", reason=HOW_TO_GET_IT)
    paths = _browser_paths()
    if paths is None:
        pytest.skip(HOW_TO_GET_IT)
    options = webdriver.ChromeOptions()
    options.binary_location = paths[0]
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu",
                     "--disable-dev-shm-usage", f"--window-size={WIDTH},900"):  # fmt: skip
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=webdriver.ChromeService(paths[1]))
    driver.set_page_load_timeout(60)
    yield driver
    driver.quit()


#: Everything the checks need from one page, gathered in the browser.
PAGE_FACTS = """
const local = (url) => url.startsWith(location.origin);
return {
  height: document.documentElement.scrollHeight,
  printed: [...document.querySelectorAll('.cell_output pre')]
    .reduce((total, box) => total + box.offsetHeight, 0),
  links: [...document.querySelectorAll('a[href]')].map(a => a.href).filter(local),
  assets: [...document.querySelectorAll('link[href], script[src]')]
    .map(e => e.href || e.src).filter(local),
  images: [...document.images].filter(i => local(i.currentSrc || i.src))
    .map(i => ({src: i.currentSrc || i.src, ok: i.complete && i.naturalWidth > 0})),
  outputs: [...document.querySelectorAll('.cell_output')].map(o => o.innerText),
  figures: [...document.querySelectorAll('figure')].map(f => ({
    number: (f.querySelector('.caption-number') || {innerText: ''}).innerText,
    ok: [...f.querySelectorAll('img')].some(i => i.complete && i.naturalWidth > 0)})),
  colab: [...document.querySelectorAll('a[href*="colab.research.google.com/github"]')]
    .map(a => a.href),
  notebooks: [...document.querySelectorAll('a[href$=".ipynb"]')].map(a => a.href),
  external_scripts: [...document.querySelectorAll('script[src]')].map(s => s.src)
    .filter(src => !local(src)),
};
"""

#: Raw TeX delimiters left in the visible text (outside code), each with some context. MathJax
#: replaces them when it typesets a formula; if it could not be loaded they stay on the page.
RAW_MATH = r"""
const skip = 'pre, code, script, style, textarea, mjx-container, .MathJax';
const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
const found = [];
for (let node = walker.nextNode(); node; node = walker.nextNode()) {
  const parent = node.parentElement;
  if (!parent || parent.closest(skip) || !parent.getClientRects().length) continue;
  const text = node.textContent;
  for (const match of text.matchAll(/\\[(\[]|\\begin\{/g)) {
    found.push(text.slice(Math.max(0, match.index - 30), match.index + 50).trim());
  }
}
return found;
"""

#: Wait until MathJax has typeset the page (its startup promise), or until no raw delimiters are
#: left (a page without formulas loads no MathJax), or the timeout (the argument, in ms); return
#: what is left raw.
WAIT_FOR_MATH = (
    "const rawMath = () => {" + RAW_MATH + "};"
    + """
const [timeout, done] = arguments;
const deadline = Date.now() + timeout;
(function wait() {
  const startup = window.MathJax && window.MathJax.startup;
  if (startup && startup.promise) {
    startup.promise.then(() => done(rawMath()), () => done(rawMath()));
  } else if (!rawMath().length || Date.now() > deadline) {
    done(rawMath());
  } else {
    setTimeout(wait, 100);
  }
})();
"""
)  # fmt: skip

#: Code cells, printed output and tables wider than the page column. Every toggle and dropdown
#: is opened first, so hidden cells count too. An element overflows when it, or the box that
#: would scroll it (its nearest ancestor with overflow-x auto or scroll), is wider inside than
#: out.
OVERFLOW = r"""
document.querySelectorAll('details').forEach(d => { d.open = true; });
document.querySelectorAll('.toggle-hidden').forEach(e => e.classList.remove('toggle-hidden'));
const scroller = (element) => {
  for (let e = element.parentElement; e && e !== document.body; e = e.parentElement) {
    if (['auto', 'scroll'].includes(getComputedStyle(e).overflowX)) return e;
  }
  return null;
};
const wide = (e) => e && e.scrollWidth > e.clientWidth + 1;
const selector = 'div.cell_input pre, div.highlight pre, table';
return [...document.querySelectorAll('article ' + selector)]
  .filter(e => e.getClientRects().length && (wide(e) || wide(scroller(e))))
  .map(e => {
    const box = wide(e) ? e : scroller(e);
    const lines = e.innerText.split('\n');
    const longest = lines.reduce((a, b) => (b.length > a.length ? b : a), '');
    return `${e.tagName.toLowerCase()} ${box.scrollWidth}px in ${box.clientWidth}px: `
      + (e.tagName === 'TABLE' ? e.innerText.slice(0, 120) : longest.slice(0, 160));
  });
"""


def _console_errors(driver, base: str) -> list[str]:
    """SEVERE console entries, except failed loads from other hosts (the test runs offline)
    and the favicon the browser asks for on its own."""
    errors = []
    for entry in driver.get_log("browser"):
        message = entry["message"]
        if entry["level"] != "SEVERE" or "favicon.ico" in message:
            continue
        if "net::ERR_" in message and not message.startswith(base):
            continue
        errors.append(message)
    return errors


def _open_solutions(driver) -> list[tuple[bool, bool]]:
    """Click every solution dropdown; (shown before the click, shown after) for each."""
    from selenium.webdriver.common.by import By

    results = []
    for dropdown in driver.find_elements(By.CSS_SELECTOR, ".solution.dropdown"):
        body = dropdown.find_elements(By.CSS_SELECTOR, ":scope > :not(.admonition-title)")
        before = any(element.is_displayed() for element in body)
        button = dropdown.find_element(By.CSS_SELECTOR, "button.toggle-button")
        driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", button)
        button.click()
        time.sleep(0.2)
        results.append((before, any(element.is_displayed() for element in body)))
    return results


def _visit(driver, base: str, page: str) -> dict:
    driver.set_window_size(WIDTH, 900)
    driver.get(urljoin(base, page + ".html"))
    for _ in range(50):
        if driver.execute_script("return document.readyState") == "complete":
            break
        time.sleep(0.1)
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(WIDTH, min(height + 100, 16_000))  # every image in view, so loaded
    time.sleep(0.5)
    driver.set_script_timeout(MATH_TIMEOUT + 15)
    facts = {"raw_math": driver.execute_async_script(WAIT_FOR_MATH, MATH_TIMEOUT * 1000)}
    facts |= driver.execute_script(PAGE_FACTS)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    driver.save_screenshot(str(SCREENSHOTS / (page.replace("/", "__") + ".png")))
    driver.set_window_size(WIDTH, 900)
    facts["solutions"] = _open_solutions(driver)
    facts["overflow"] = driver.execute_script(OVERFLOW)
    facts["console"] = _console_errors(driver, base)
    return facts


@pytest.fixture(scope="session")
def pages(server, browser):
    """Visit every page of the table of contents once; the tests below read what was seen."""
    started = time.perf_counter()
    seen = {page: _visit(browser, server, page) for page in toc_pages()}
    heights = {page: facts["height"] for page, facts in seen.items()}
    heights["_seconds_for_all_pages"] = round(time.perf_counter() - started, 1)
    (SCREENSHOTS / "heights.json").write_text(json.dumps(heights, indent=1) + "\n")
    return seen, server


def _local_file(html: Path, base: str, url: str) -> tuple[Path, str]:
    parts = urlsplit(url)
    path = html / unquote(parts.path.removeprefix(urlsplit(base).path))
    if path.is_dir():
        path = path / "index.html"
    return path, parts.fragment


PAGES = toc_pages()
EXERCISE_PAGES = [p for p in PAGES if p.startswith("exercises/")]
CHAPTERS = [p for p in PAGES if p.startswith("lessons/")]


@pytest.mark.parametrize("page", PAGES)
def test_page_loads_without_console_errors(pages, page):
    assert pages[0][page]["console"] == []


@pytest.mark.parametrize("page", PAGES)
def test_every_local_link_anchor_and_image_resolves(pages, book, page):
    facts, base = pages[0][page], pages[1]
    broken = []
    for url in facts["links"] + facts["assets"]:
        path, fragment = _local_file(book.html, base, url)
        if not path.is_file():
            broken.append(url)
        elif fragment and path.suffix == ".html":
            text = path.read_text(errors="replace")
            if f'id="{fragment}"' not in text and f'name="{fragment}"' not in text:
                broken.append(url)
    broken += [image["src"] for image in facts["images"] if not image["ok"]]
    assert broken == []


@pytest.mark.parametrize("page", PAGES)
def test_no_script_comes_from_another_host(pages, page):
    """MathJax and every other script are shipped with the book: it reads the same offline."""
    assert pages[0][page]["external_scripts"] == []


@pytest.mark.parametrize("page", PAGES)
def test_every_formula_is_typeset(pages, page):
    """No raw ``\\(``, ``\\[`` or ``\\begin{`` in the visible text once MathJax has run."""
    assert pages[0][page]["raw_math"] == [], "formulas shown as raw LaTeX"


@pytest.mark.parametrize("page", PAGES)
def test_no_code_cell_or_table_scrolls_sideways(pages, page):
    """At 1280 px every code line, printed line and table fits the page column."""
    assert pages[0][page]["overflow"] == [], f"{page}: wider than the page"


@pytest.mark.parametrize("page", PAGES)
def test_no_output_box_shows_a_traceback_or_warning(pages, page):
    bad = [text[:300] for text in pages[0][page]["outputs"] if BAD_OUTPUT.search(text)]
    assert bad == []


@pytest.mark.parametrize("page", PAGES)
def test_page_is_not_flooded(pages, page):
    facts = pages[0][page]
    assert facts["printed"] <= MAX_PRINTED_HEIGHT, f"{facts['printed']} px of printed output"
    assert facts["height"] <= MAX_PAGE_HEIGHT


@pytest.mark.parametrize("page", CHAPTERS)
def test_each_chapter_shows_its_numbered_figures(pages, page):
    figures = pages[0][page]["figures"]
    chapter = chapter_label(page)
    assert (figures or "/appendix_" in page) and all(figure["ok"] for figure in figures)
    assert all(figure["number"].startswith(f"Fig. {chapter}.") for figure in figures)


@pytest.mark.parametrize("page", EXERCISE_PAGES)
def test_exercise_solutions_open_on_click(pages, page):
    solutions = pages[0][page]["solutions"]
    assert solutions and all(not before and after for before, after in solutions)


@pytest.mark.parametrize("page", EXERCISE_PAGES)
def test_exercise_page_links_lead_to_the_student_edition(pages, page):
    facts = pages[0][page]
    student = "exercises/" + page.rsplit("/", 1)[1] + ".ipynb"
    assert facts["colab"], "no launch button or badge"
    for url in facts["colab"] + facts["notebooks"]:
        assert url.endswith(student) and "/solutions/" not in url, url


@pytest.mark.parametrize("page", PAGES)
def test_every_colab_link_opens_a_notebook_of_the_repository(pages, page):
    for url in pages[0][page]["colab"]:
        relative = url.split("/blob/", 1)[1].split("/", 1)[1]
        assert (ROOT / relative).is_file() and "/solutions/" not in url, url
