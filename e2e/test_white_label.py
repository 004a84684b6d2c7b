"""The tenant's look in the browser's own places: tab title, document language, favicon, and
a header that holds the tenant's name and the translated sign-in link on a phone."""

from __future__ import annotations

from playwright.sync_api import Browser, Page, expect

from app import routes
from e2e.conftest import ARTIFACTS, PHONE, fresh_tab

LOGIN = f"/t/demo{routes.LOGIN}"  # Alpina Versicherung: a name with descenders (p, g)


def _ready(page: Page, lang: str) -> None:
    """The page has its tenant and the visitor's language (the event socket answered)."""
    expect(page.locator("html")).to_have_attribute("lang", lang)


def test_tab_title_names_the_page_and_tenant_in_the_visitors_language(
    browser: Browser, app_url: str
) -> None:
    with fresh_tab(browser, app_url, "fr-FR") as page:
        page.goto(LOGIN)
        expect(page).to_have_title("Connexion · Alpina Versicherung")
        page.get_by_role("link", name="Mot de passe oublié ?").click()
        expect(page).to_have_title("Réinitialiser votre mot de passe · Alpina Versicherung")
        page.goto(f"/t/demo{routes.TEST_CENTER}")
        expect(page).to_have_title("Centre de test · Alpina Versicherung")
        page.goto("/t/demo/")
        expect(page).to_have_title("Alpina Versicherung")
    with fresh_tab(browser, app_url, "es-ES") as page:
        page.goto(LOGIN)
        expect(page).to_have_title("Inicio de sesión · Alpina Versicherung")


def test_document_language_is_the_visitors(browser: Browser, app_url: str) -> None:
    for locale, lang in (("de-DE", "de"), ("fr-FR", "fr"), ("it-IT", "it")):
        with fresh_tab(browser, app_url, locale) as page:
            page.goto(LOGIN)
            _ready(page, lang)
    with fresh_tab(browser, app_url, "de-DE") as page:
        page.goto(LOGIN)
        _ready(page, "de")
        page.get_by_role("combobox", name="Sprache").click()
        page.get_by_role("option", name="EN").click()
        _ready(page, "en")
        expect(page).to_have_title("Sign in · Alpina Versicherung")


def test_a_tenant_without_its_own_icon_gets_the_default_favicon(page: Page) -> None:
    page.goto(f"/t/bank{routes.LOGIN}")  # no test gives this tenant an icon (demo gets one)
    _ready(page, "de")
    expect(page.locator("link[rel='icon']")).to_have_attribute("href", "/favicon.ico")
    icon = page.request.get("/favicon.ico")
    assert icon.status == 200
    assert icon.headers["content-type"] in ("image/x-icon", "image/vnd.microsoft.icon")
    assert icon.body()[:4] == b"\x00\x00\x01\x00"  # an ICO file


HEADER_FITS = """() => {
  const link = document.querySelector('#header-sign-in');
  const name = document.querySelector('#brand-name');
  const box = link.getBoundingClientRect();
  const header = document.querySelector('header').getBoundingClientRect();
  return {
    text: link.textContent,
    linkOverflows: link.scrollWidth > link.clientWidth || link.scrollHeight > link.clientHeight,
    linkOutside: box.left < 0 || box.right > innerWidth || box.bottom > header.bottom,
    pageOverflows: document.documentElement.scrollWidth > innerWidth,
    nameClipped: name.scrollHeight > name.clientHeight,
  };
}"""


def test_header_holds_the_translated_sign_in_and_the_tenants_name_on_a_phone(
    browser: Browser, app_url: str
) -> None:
    for locale, lang, label in (
        ("fr-FR", "fr", "Se connecter"),
        ("es-ES", "es", "Iniciar sesión"),
        ("de-DE", "de", "Anmelden"),
    ):
        with fresh_tab(browser, app_url, locale) as page:
            for size in (PHONE, {"width": 1366, "height": 768}):
                page.set_viewport_size(size)
                page.goto(LOGIN)
                _ready(page, lang)
                expect(page.locator("#header-sign-in")).to_have_text(label)
                fits = page.evaluate(HEADER_FITS)
                assert fits == {
                    "text": label,
                    "linkOverflows": False,
                    "linkOutside": False,
                    "pageOverflows": False,
                    "nameClipped": False,
                }, (lang, size, fits)
                ARTIFACTS.mkdir(parents=True, exist_ok=True)
                kind = "phone" if size == PHONE else "laptop"
                page.locator("header").screenshot(path=str(ARTIFACTS / f"header-{lang}-{kind}.png"))
