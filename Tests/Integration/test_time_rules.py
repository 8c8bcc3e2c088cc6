"""Rules that depend on the time of day, over real e-mail (Postfix and Dovecot on loopback),
with the gateway on a simulated clock (KOKEMUS_SIMULATED_CLOCK): "Toteutuiko?" the working day
after a session no one marked (002), and a message written at night held for the morning
unless marked urgent."""

import email.utils
import time
from datetime import datetime, timedelta, timezone

from conftest import BOOKED, Gateway, seed_state
from mailusers import Mailbox, body

def seed_booking(tmp_path):
    seed_state(tmp_path, BOOKED, "Tehtävä T-2026-0001 on vahvistettu sinulle, Kalle.")


def test_the_orderer_is_asked_the_day_after_whether_a_session_took_place(tmp_path):
    seed_booking(tmp_path)
    employee, expert = Mailbox("employee"), Mailbox("expert")
    gateway = Gateway(tmp_path, {"anna": "email", "kalle": "email", "kaisa": "email"})
    # Wednesday 9.12.2026 just after 8.00 in Helsinki: Kalle has not confirmed his hours.
    start = datetime(2026, 12, 9, 8, 0, 5, tzinfo=timezone(timedelta(hours=2)))
    gateway.environment = {"KOKEMUS_SIMULATED_CLOCK": f"{start.isoformat()} anchor={time.time()} rate=1"}
    try:
        gateway.start()
        # Anna is asked for feedback first; the question waits for her, and she is told so.
        first = [employee.next_from_bot(), employee.next_from_bot()]
        feedback = next(m for m in first if "Miten tehtävä T-2026-0001" in body(m))
        assert any("toteutuiko tilaamasi tapaaminen" in body(m) for m in first), [body(m) for m in first]
        assert "Kirjoita" in body(employee.ask("5", reply_to=feedback))
        employee.ask("Hyvin meni.")
        employee.ask("ei")
        asked = employee.ask("toteutuiko")
        assert "Toteutuiko tapaaminen T-2026-0001" in body(asked), body(asked)
        assert "8.12.2026 klo 14.00" in body(asked) and "Kokemusasiantuntija K-12" in body(asked), body(asked)
        # Nothing in it names Kalle's address.
        assert "expert@" not in body(asked) and "Heikkinen" not in body(asked)
        recorded = employee.ask("2", reply_to=asked)
        assert "Kirjattu: " in body(recorded), body(recorded)
        told = expert.next_with("tilaaja kertoi, että asiakas ei saapunut tapaamiseen T-2026-0001")
        assert "Tapaaminen korvataan sovitusti." in body(told)
        assert gateway.stop() == 0, gateway.log()
    finally:
        gateway.stop()
        employee.close()
        expert.close()


def test_a_message_written_at_night_waits_for_the_morning_unless_urgent(tmp_path):
    seed_booking(tmp_path)
    employee, expert = Mailbox("employee"), Mailbox("expert")
    gateway = Gateway(tmp_path, {"anna": "email", "kalle": "email", "kaisa": "email"})
    gateway.config.write_text(gateway.config.read_text().replace("hold_relays_at_night: false", "hold_relays_at_night: true"))
    # Monday 7.12.2026 at 21.15 in Helsinki, half an hour a real second: the morning of the
    # 8th comes some twenty real seconds later.
    helsinki = timezone(timedelta(hours=2))
    start = datetime(2026, 12, 7, 21, 15, tzinfo=helsinki)
    gateway.environment = {"KOKEMUS_SIMULATED_CLOCK": f"{start.isoformat()} anchor={time.time()} rate=1800"}
    morning = datetime(2026, 12, 8, 8, 0, tzinfo=helsinki)
    try:
        gateway.start()
        saved = employee.ask("viesti T-2026-0001 Asiakas haluaa aloittaa kävelyllä.")
        assert "Nyt on hiljainen aika, joten se välitetään 8.12.2026 klo 8.00" in body(saved), body(saved)
        sent = employee.ask("viesti kiire T-2026-0001 Ovikoodi vaihtuu huomenna, kysy henkilökunnalta.")
        assert "välitetty" in body(sent), body(sent)
        # The gateway's mails are dated by its clock: the urgent one went in the night, the
        # other in the morning, after it.
        urgent = expert.next_with("Ovikoodi vaihtuu huomenna")
        assert "KIIREELLINEN:" in body(urgent)
        assert email.utils.parsedate_to_datetime(str(urgent["Date"])) < morning
        held = expert.next_with("Asiakas haluaa aloittaa kävelyllä.")
        assert email.utils.parsedate_to_datetime(str(held["Date"])) >= morning, str(held["Date"])
        assert gateway.stop() == 0, gateway.log()
    finally:
        gateway.stop()
        employee.close()
        expert.close()


def test_an_order_left_unfinished_is_kept_as_a_draft_and_resumed(tmp_path):
    employee = Mailbox("employee")
    gateway = Gateway(tmp_path, {"anna": "email", "kalle": "email", "kaisa": "email"})
    # Tuesday 1.12.2026 at 9.00 in Helsinki, four hours a real second: the day's reminder
    # comes some six real seconds after Anna stops answering, the draft some eighteen.
    start = datetime(2026, 12, 1, 9, 0, tzinfo=timezone(timedelta(hours=2)))
    gateway.environment = {"KOKEMUS_SIMULATED_CLOCK": f"{start.isoformat()} anchor={time.time()} rate=14400"}
    try:
        gateway.start()
        asked = employee.ask("tilaa")
        assert "Millaiseen tehtävään" in body(asked), body(asked)
        topic = employee.ask("1", reply_to=asked)
        assert "Mistä aiheesta" in body(topic), body(topic)
        reminded = employee.next_with("Muistutus: tilauksesi on vielä kesken.")
        assert "Mistä aiheesta" in body(reminded)
        kept = employee.next_with("Tilauksesi jäi kesken")
        assert "luonnoksena" in body(kept) and "luonnos" in body(kept), body(kept)
        # She goes on where she left off: the topic is asked again, not the task.
        employee.send("luonnos")
        resumed = employee.next_with("Mistä aiheesta")
        assert "Millaiseen tehtävään" not in body(resumed)
        assert gateway.stop() == 0, gateway.log()
    finally:
        gateway.stop()
        employee.close()
