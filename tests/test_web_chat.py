"""The web chat in a real browser (headless Chromium) against a real server on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

pytest.importorskip("fastapi", reason="the serve extra is not installed")
pytest.importorskip("selenium", reason="selenium is not installed (pip install '.[test]')")

from browser import MISSING, chromium  # noqa: E402
from live_server import Live, serving  # noqa: E402

pytestmark = pytest.mark.skipif(bool(MISSING), reason=MISSING)

BAIT = '<img src=x onerror="window.__pwned=1;alert(1)">'


@pytest.fixture(scope="module")
def live() -> Iterator[Live]:
    with serving() as server:
        yield server


@pytest.fixture(scope="module")
def page(live: Live) -> Iterator[Any]:
    driver = chromium()
    try:
        driver.get(live.url + "/")
        wait_for_answers(driver, 1)  # the greeting
        yield driver
    finally:
        driver.quit()


def wait_for_answers(driver: Any, count: int) -> list[Any]:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, 20).until(
        lambda d: len(d.find_elements(By.CSS_SELECTOR, "#log .msg.bot")) >= count
        and not d.find_element(By.ID, "send").get_attribute("disabled"))
    return list(driver.find_elements(By.CSS_SELECTOR, "#log .msg.bot .answer, #log .msg.error"))


def type_question(driver: Any, text: str) -> str:
    """Types the question, presses Enter, and returns the new answer's text."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    before = len(driver.find_elements(By.CSS_SELECTOR, "#log .msg.bot"))
    box = driver.find_element(By.ID, "text")
    box.send_keys(text)
    box.send_keys(Keys.ENTER)
    return str(wait_for_answers(driver, before + 1)[-1].text)


def test_the_page_greets_and_offers_questions(page: Any) -> None:
    from selenium.webdriver.common.by import By

    assert page.title == "taxobot"
    assert page.find_element(By.ID, "log").get_attribute("aria-live") == "polite"
    assert page.find_elements(By.CSS_SELECTOR, "#chips .chip")


def test_a_question_and_its_follow_up(page: Any) -> None:
    from selenium.webdriver.common.by import By

    answer = type_question(page, "what type of model is BERT?")
    assert "masked" in answer.lower()
    last = page.find_elements(By.CSS_SELECTOR, "#log .msg.bot .answer")[-1]
    assert last.find_elements(By.TAG_NAME, "li")  # Markdown rendered, not shown raw
    assert "**" not in answer
    follow_up = type_question(page, "is it open source?")
    assert follow_up.startswith("Yes")


def test_up_recalls_the_last_question(page: Any) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    type_question(page, "who developed BERT?")
    box = page.find_element(By.ID, "text")
    box.send_keys(Keys.ARROW_UP)
    assert box.get_attribute("value") == "who developed BERT?"
    box.clear()


def test_a_new_conversation_greets_again_and_a_chip_asks_its_question(page: Any) -> None:
    from selenium.webdriver.common.by import By

    page.find_element(By.ID, "reset").click()  # the greeting's chips, whatever came before
    wait_for_answers(page, 1)
    assert len(page.find_elements(By.CSS_SELECTOR, "#log .msg")) == 1
    before = 1
    chip = page.find_elements(By.CSS_SELECTOR, "#chips .chip")[0]
    text = chip.text
    chip.click()
    wait_for_answers(page, before + 1)
    users = page.find_elements(By.CSS_SELECTOR, "#log .msg.user")
    assert users[-1].text == text


def test_each_answer_has_a_copy_button(page: Any) -> None:
    from selenium.webdriver.common.by import By

    answers = page.find_elements(By.CSS_SELECTOR, "#log .msg.bot")
    assert all(a.find_elements(By.CSS_SELECTOR, "button.copy") for a in answers)
    answers[-1].find_element(By.CSS_SELECTOR, "button.copy").click()


def test_script_bait_typed_in_shows_as_text_and_runs_nothing(page: Any) -> None:
    from selenium.common.exceptions import NoAlertPresentException
    from selenium.webdriver.common.by import By

    type_question(page, BAIT)
    users = page.find_elements(By.CSS_SELECTOR, "#log .msg.user")
    assert users[-1].text == BAIT
    assert page.find_elements(By.CSS_SELECTOR, "#log img") == []
    assert page.execute_script("return window.__pwned === undefined")
    with pytest.raises(NoAlertPresentException):
        page.switch_to.alert.text  # noqa: B018


def test_the_page_loads_nothing_from_elsewhere_and_logs_no_error(page: Any, live: Live) -> None:
    resources = page.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name)")
    assert resources and all(r.startswith(live.url) for r in resources), resources
    severe = [e for e in page.get_log("browser") if e["level"] == "SEVERE"]
    assert severe == []


def test_it_fits_a_phone_width(live: Live) -> None:
    driver = chromium(width=390, height=844)
    try:
        driver.get(live.url + "/")
        wait_for_answers(driver, 1)
        type_question(driver, "compare BERT and GPT-3")
        overflow = driver.execute_script(
            "return document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0
    finally:
        driver.quit()
