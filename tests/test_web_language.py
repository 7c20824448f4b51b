"""The web form in the client's language, whatever the respondent does: the form, a number out of
its range, a missing answer and an address that is no link all answer in pt-BR for a Brazilian
client and in Spanish for a Spanish one, served by the real server on this computer only."""

from __future__ import annotations

import asyncio
import html
import re
import shutil
import socket
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from http.cookiejar import CookieJar
from pathlib import Path

import pytest

from smarketing_assess.config.questionnaire import load_question_bank
from smarketing_assess.core.period import Period
from smarketing_assess.core.resources import examples_dir
from smarketing_assess.reading import collected
from smarketing_assess.ui import web

BANK = load_question_bank()
IDS = {q.id for q in BANK.questions}
# words an English sentence can hardly do without, and that neither Portuguese nor Spanish has
ENGLISH = {"the", "is", "are", "of", "and", "with", "not", "for", "from", "this", "that", "your", "please",
           "answer"}

# what each language says for a number out of range and a missing answer (templates/i18n/*.yaml)
SAID = {
    "pt-BR": {
        "out_of_range": "Verifique estas respostas: “De cada 100 leads que o marketing repassa para vendas, quantos "
                        "vendas aceita e trabalha?”: 150,5 está fora do intervalo de 0 a 100.",
        "missing": "Estas perguntas precisam ser respondidas: ",
        "nothing": "Não há nada neste endereço. Abra o link do questionário que você recebeu.",
    },
    "es": {
        "out_of_range": "Revise estas respuestas: «De cada 100 leads que marketing pasa a ventas, ¿cuántos acepta y "
                        "trabaja ventas?»: 150,5 está fuera del intervalo de 0 a 100.",
        "missing": "Estas preguntas requieren una respuesta: ",
        "nothing": "No hay nada en esta dirección. Abra el enlace del cuestionario que recibió.",
    },
}


def english_words(page: str) -> set[str]:
    """The English function words of a page's text: without its style, tags and question ids."""
    page = re.sub(r"<style.*?</style>", " ", page, flags=re.S)
    words = re.findall(r"[^\W\d_]+", html.unescape(re.sub(r"<[^>]+>", " ", page)))
    return {w.casefold() for w in words if w not in IDS} & ENGLISH


@pytest.fixture(params=["pt-BR", "es"])
def client(request, tmp_path: Path) -> tuple[Path, str]:
    folder = tmp_path / "client"
    shutil.copytree(examples_dir() / "brightline-sensors", folder)
    yaml_path = folder / "client.yaml"
    yaml_path.write_text(yaml_path.read_text(encoding="utf-8").replace("language: en", f"language: {request.param}"),
                         encoding="utf-8")
    return folder, request.param


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serving(site: web.FormSite) -> Iterator[str]:
    """The site served on a free port of this computer, in a thread, until the block ends."""
    port = _free_port()
    ready = threading.Event()
    held: dict[str, object] = {}

    async def main() -> None:
        held["loop"], held["stop"] = asyncio.get_running_loop(), asyncio.Event()
        server = web.application(site).listen(port, address="127.0.0.1")
        ready.set()
        try:
            await held["stop"].wait()  # type: ignore[attr-defined]
        finally:
            server.stop()

    thread = threading.Thread(target=asyncio.run, args=(main(),), daemon=True)
    thread.start()
    assert ready.wait(30), "the web form did not start"
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        held["loop"].call_soon_threadsafe(held["stop"].set)  # type: ignore[attr-defined]
        thread.join(30)


def fetch(opener: urllib.request.OpenerDirector, url: str, data: dict[str, str] | None = None) -> tuple[int, str]:
    body = urllib.parse.urlencode(data).encode("utf-8") if data is not None else None
    try:
        with opener.open(url, body, timeout=10) as answer:
            return answer.status, answer.read().decode("utf-8")
    except urllib.error.HTTPError as refused:
        with refused:
            return refused.code, refused.read().decode("utf-8")


def test_every_page_a_respondent_can_reach_speaks_the_clients_language(client):
    folder, language = client
    site = web.FormSite.of(folder, Period.parse("2026-Q3"))
    assert site.language == language
    (link,) = collected.add_links(site.period_dir, {"sales": 1})
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
    with serving(site) as address:
        status, page = fetch(opener, f"{address}/f/{link.code}")
        assert status == 200 and f'<html lang="{language}">' in page
        assert english_words(page) == set()
        xsrf = re.search(r'name="_xsrf" value="([^"]+)"', page).group(1)
        answers = {q.id: "4" if q.kind == "scale" else q.options[0].value if q.kind == "choice" else "12"
                   for q in BANK.questions_for("sales")}

        # a number out of its range: said with the question's words, the number as the language writes it
        status, page = fetch(opener, f"{address}/f/{link.code}",
                             {"_xsrf": xsrf, "team": "sales", **answers, "lq_accept": "150.5"})
        assert status == 422 and english_words(page) == set(), english_words(page)
        assert SAID[language]["out_of_range"] in html.unescape(page)
        assert "lq_accept:" not in page and "outside" not in page

        # a required answer missing: the question named by its words
        first = BANK.questions_for("sales")[0]
        status, page = fetch(opener, f"{address}/f/{link.code}",
                             {"_xsrf": xsrf, "team": "sales", **{k: v for k, v in answers.items() if k != first.id}})
        assert status == 422 and english_words(page) == set(), english_words(page)
        assert first.text[language] in html.unescape(page) and SAID[language]["missing"] in html.unescape(page)

        # an address that is no link, and a send without the form's token
        status, page = fetch(opener, f"{address}/nothing-here")
        assert status == 404 and english_words(page) == set(), english_words(page)
        assert SAID[language]["nothing"] in html.unescape(page)
        status, page = fetch(opener, f"{address}/f/{link.code}", {"team": "sales", **answers})
        assert status == 403 and english_words(page) == set(), english_words(page)
    assert collected.stored(site.period_dir) == []  # nothing was sent whole
