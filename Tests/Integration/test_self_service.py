"""An expert's own matters over real channels (004, 000 §6.1; 003; 000 §3, §4): the
confidentiality commitment confirmed on Matrix before the first task, with the unit's
onboarding in the booking; days away, wishes, an introduction and a supervision sign-up by
e-mail (real Synapse, Postfix and Dovecot on loopback)."""

import asyncio
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from conftest import Gateway, running
from mailusers import Mailbox, body
from people import close, people


def text(message):
    """A mail's text with its lines as the gateway wrote them (SMTP carries CRLF)."""
    return body(message).replace("\r\n", "\n")

ON_SITE_ANSWERS = [
    ("1", "Mistä aiheesta"),
    ("2", "Minkä yksikön"),
    ("1", "Milloin?"),
    ("8.12.2027 klo 14", "Kuinka kauan"),
    ("1,5 h", "paikan päällä vai etänä"),
    ("1", "Missä?"),
    ("Vanha kirjasto, Porvoo", "Millä kielellä"),
    ("1", "Kenelle"),
    ("1", "Kuvaa tarve lyhyesti"),
    ("Asiakas tarvitsee vertaistukea päihteistä toipumiseen.", "Kuinka monta tapaamiskertaa"),
    ("1", "Tarkista tilaus"),
]


def helsinki_today():
    """The day the gateway lives in (Europe/Helsinki), whatever the machine's zone."""
    return datetime.now(ZoneInfo("Europe/Helsinki")).date()


@pytest.fixture
def unsigned_gateway(tmp_path):
    """Everyone on Matrix; Kalle has not signed the confidentiality commitment on paper."""
    yield from running(Gateway(tmp_path, {"anna": "matrix", "kalle": "matrix", "kaisa": "matrix"}, unsigned={"kalle"}))


def test_the_commitment_is_confirmed_before_the_first_task_and_the_onboarding_comes_with_the_booking(unsigned_gateway):
    async def scenario():
        anna, kalle = await people(unsigned_gateway.users["employee"], unsigned_gateway.users["expert"])
        try:
            room = await anna.open_dm_with_bot()
            await anna.ask(room, "tilaa")
            for answer, expected in ON_SITE_ANSWERS:
                reply = await anna.ask(room, answer)
                assert expected in reply, (answer, reply)
            order_id = re.search(r"T-\d{4}-\d{4}", await anna.ask(room, "kyllä")).group(0)

            await kalle.wait_for_bot_text(f"Sinulle tarjotaan tehtävää {order_id}")
            kalles = kalle.room_of(f"Sinulle tarjotaan tehtävää {order_id}")
            asked = await kalle.ask(kalles, "1")
            assert asked.startswith("Ennen ensimmäistä tehtävääsi vahvista vaitiolositoumus."), asked
            assert "Vaitiolovelvollisuus jatkuu tehtävän ja toimeksiannon päätyttyä." in asked
            # A refusal takes nothing: the offer is shown again, still open.
            refused = await kalle.ask(kalles, "ei")
            assert refused.startswith("Tehtävää ei voi ottaa ilman vaitiolositoumusta"), refused
            assert f"Sinulle tarjotaan tehtävää {order_id}" in await kalle.next_from_bot(kalles)
            assert (await kalle.ask(kalles, "1")).startswith("Ennen ensimmäistä tehtävääsi")
            await kalle.send(kalles, "kyllä")
            confirmation = await kalle.wait_for_bot_text(f"Tehtävä {order_id} on vahvistettu sinulle")
            assert "Perehdytys yksikköön Mielenterveys- ja päihdepalvelut, Porvoo:\nSisäänkäynti Vanhan kirjaston pääovesta" in confirmation
            assert "Yksikössä sinut ottaa vastaan Liisa Korhonen." in confirmation
            booked = await anna.wait_for_bot_text("Kokemusasiantuntija K-12")
            assert "Heikkinen" not in booked
            await kalle.wait_for_bot_text("montako kilometriä")
            await kalle.send(kalles, "0")
            await kalle.wait_for_bot_text("Entä muut kulut")
            await kalle.send(kalles, "0")
            await kalle.wait_for_bot_text("Vahvistus on lähetetty sinulle omana viestinään.")
            kalles = kalle.room_of("Vahvistus on lähetetty sinulle omana viestinään.")
            # Recorded with its day, and not asked again.
            shown = await kalle.ask(kalles, "vaitiolo")
            today = helsinki_today()
            assert shown.startswith(f"Kalle, vahvistit vaitiolositoumuksen {today.day}.{today.month}.{today.year}:"), shown
            listed = await kalle.ask(kalles, "tehtävät")
            assert f"- {order_id}: 8.12.2027 klo 14.00, 1 h 30 min, Yksilötyö asiakkaan kanssa, Vanha kirjasto, Porvoo" in listed, listed
        finally:
            await close(anna, kalle)

    asyncio.run(scenario())


def test_days_away_wishes_an_introduction_and_supervision_by_email(mail_gateway):
    expert = Mailbox("expert")
    coordinator = Mailbox("coordinator")
    try:
        start = helsinki_today() + timedelta(days=10)
        end = start + timedelta(days=4)
        period = f"{start.day}.{start.month}.{start.year}–{end.day}.{end.month}.{end.year}"
        marked = expert.ask(f"poissaolo {period}")
        assert f"Merkitty, Kalle: olet poissa {period}." in body(marked), body(marked)
        listed = expert.ask("poissaolo", reply_to=marked)
        assert f"- {period}\n" in text(listed), text(listed)
        # Answers stay in one thread with one "Re:".
        assert str(listed["Subject"]).count("Re:") <= 1, str(listed["Subject"])
        assert "Tervetuloa takaisin" in body(expert.ask(f"palasin {start.day}.{start.month}.{start.year}", reply_to=listed))

        # Wishes narrow the agreement; a topic it lacks is refused.
        refused = expert.ask("toiveet aiheet asunnottomuus")
        assert "Toimeksiantosopimuksessasi ei ole: asunnottomuus." in body(refused), body(refused)
        assert "Aiheet: Mielenterveys\n" in text(expert.ask("toiveet aiheet mielenterveys", reply_to=refused))

        # The introduction the orderer reads: a number in words is held, a plain one is kept.
        held = expert.ask("esittely fi: Soita nolla neljä nolla yksi kaksi kolme neljä viisi kuusi seitsemän niin kerron lisää.")
        assert "puhelinnumero" in body(held) and "eikä sitä tallennettu" in body(held), body(held)
        saved = expert.ask("esittely fi: Kerron mielelläni, mikä auttoi minua toipumaan masennuksesta.", reply_to=held)
        assert "Esittelysi (suomi) on tallennettu" in body(saved), body(saved)

        # Supervision: the coordinator announces it by mail, the expert signs up in his thread.
        day = helsinki_today() + timedelta(days=20)
        reply = coordinator.ask("työnohjaus")
        for answer, expected in [(f"{day.day}.{day.month}.{day.year} klo 13", "Kuinka kauan"), ("2 h", "Missä?"),
                                 ("Vanha kirjasto, Porvoo", "Montako osallistujaa"), ("8", "Tarkista työnohjaus")]:
            reply = coordinator.ask(answer, reply_to=reply)
            assert expected in body(reply), (answer, body(reply))
        sent = coordinator.ask("kyllä", reply_to=reply)
        assert "Työnohjauksen TO-1 kutsu lähti 1 kokemusasiantuntijalle." in body(sent), body(sent)
        invitation = expert.next_with("Työnohjaus TO-1")
        signed_up = expert.ask("ilmoittaudu TO-1", reply_to=invitation)
        assert "Olet ilmoittautunut työnohjaukseen TO-1" in body(signed_up), body(signed_up)
        assert "Kalle Heikkinen (kalle) ilmoittautui työnohjaukseen TO-1 (1/8)." in body(coordinator.next_from_bot())
    finally:
        expert.close()
        coordinator.close()
    log = mail_gateway.log()
    assert "neljä nolla yksi" not in log
