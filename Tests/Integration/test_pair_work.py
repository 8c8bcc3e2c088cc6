"""Pair work (000 §4.3, 004) across real channels: an expert pair ordered on Matrix, one
expert on Matrix and the other on e-mail (real Synapse, Postfix and Dovecot on loopback)."""

import asyncio
import re

import pytest

from conftest import Gateway, running
from mailusers import Mailbox, body
from people import close, people

PAIR_ANSWERS = [
    ("2", "Kuka on työparina?"),
    ("2", "Mistä aiheesta"),
    ("2", "Minkä yksikön"),
    ("1", "Milloin?"),
    ("8.12.2027 klo 14", "Kuinka kauan"),
    ("1,5 h", "paikan päällä vai etänä"),
    ("2", "Millä kielellä"),
    ("1", "Kenelle"),
    ("1", "Kuvaa tarve lyhyesti"),
    ("Vertaistukea parina päihteistä toipuvalle.", "Kuinka monta tapaamiskertaa"),
    ("1", "kokemusasiantuntijaparina (tarjotaan kahdelle"),
]


@pytest.fixture
def pair_gateway(tmp_path):
    """Anna and Kalle on Matrix; Sanna, the other expert, and the coordinator on e-mail."""
    yield from running(Gateway(tmp_path, {"anna": "matrix", "kalle": "matrix", "kaisa": "email", "sanna": "email"}))


def test_an_expert_pair_is_booked_when_both_have_taken_it_and_a_change_reaches_the_other(pair_gateway):
    partner = Mailbox("partner")

    async def scenario():
        anna, kalle = await people(pair_gateway.users["employee"], pair_gateway.users["expert"])
        try:
            room = await anna.open_dm_with_bot()
            reply = await anna.ask(room, "tilaa")
            for answer, expected in PAIR_ANSWERS:
                reply = await anna.ask(room, answer)
                assert expected in reply, (answer, reply)
            saved = await anna.ask(room, "kyllä")
            orders = re.findall(r"T-\d{4}-\d{4}", saved)
            assert len(orders) == 2, saved

            # One order each, never one person both.
            offer = await kalle.wait_for_bot_text("Sinulle tarjotaan tehtävää")
            kalles = re.search(r"T-\d{4}-\d{4}", offer).group(0)
            sannas = next(order for order in orders if order != kalles)
            assert f"toinen kokemusasiantuntija tilauksessa {sannas}" in offer
            offered = partner.next_with("Sinulle tarjotaan tehtävää")
            assert f"tehtävää {sannas}" in body(offered) and f"tilauksessa {kalles}" in body(offered)
            # Sanna's earnings limit (20 € a month) would be passed: her offer says so, and only hers.
            assert "tämä tehtävä veisi palkkiosi yli asettamasi rajan" in body(offered), body(offered)

            # Kalle takes his first: no booking yet, and he and Anna are told so.
            kalles_room = kalle.room_of("Sinulle tarjotaan tehtävää")
            await kalle.send(kalles_room, "1")
            await kalle.wait_for_bot_text("vahvistus tulee omana viestinään, kun myös parin toinen")
            waiting = await anna.wait_for_bot_text("Varaus vahvistuu, kun myös parin toinen")
            assert kalles in waiting and sannas in waiting

            # Sanna takes hers by e-mail: both are confirmed, to everyone.
            partner.send("1", subject="Re: " + str(offered["Subject"]), in_reply_to=str(offered["Message-ID"]).strip("<>"),
                         to=offered["Reply-To"].addresses[0].addr_spec)
            partner.next_with(f"Tehtävä {sannas} on vahvistettu sinulle")
            await kalle.wait_for_bot_text(f"Tehtävä {kalles} on vahvistettu sinulle")
            await anna.wait_for_bot_text("Kokemusasiantuntija S-07")

            # Kalle falls ill: Sanna hears it by e-mail, not why; Anna how to change hers too.
            await kalle.send(kalles_room, f"sairas {kalles} flunssa")
            told = partner.next_with("tieto työparistasi")
            assert f"parin toisen tilauksen {kalles} kokemusasiantuntija on estynyt" in body(told)
            assert f"Sinun tehtäväsi {sannas}" in body(told) and "flunssa" not in body(told)
            reminded = await anna.wait_for_bot_text(f"Parin toinen tilaus {sannas} on ennallaan")
            assert f"tilauksen {kalles} muutoksesta" in reminded and f"peru {sannas} syy" in reminded
            return str(anna.events)
        finally:
            await close(anna, kalle)

    try:
        everything = asyncio.run(scenario())
        # Nothing Anna's client saw names either expert, their address or account.
        for secret in ["partner@", "expert@", pair_gateway.users["expert"], pair_gateway.users["partner"], "Heikkinen",
                       "Lehtonen", "asettamasi rajan"]:
            assert secret not in everything
    finally:
        partner.close()
