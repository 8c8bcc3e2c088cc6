"""The support around the work over real e-mail (Postfix and Dovecot on loopback), the gateway
on a simulated clock (000 §3, §4; 003; 004): after client work the expert asks for a debrief
and the orderer records it held; the expert gives a booked task up, the orderer told without
the reason and the coordinator with it; the coordinator's announcement reaches the expert,
titled as one. Every mail the gateway starts says what it is in its subject."""

import time
from datetime import datetime, timedelta, timezone

from conftest import BOOKED, Gateway, seed_state
from mailusers import Mailbox, body

# After conftest's booking (8.12.2026 at 14), Anna orders Thursday 10.12. at 10 and Kalle
# takes it too.
SECOND = """/as anna
tilaa
1
2
1
to 10.12. klo 10
1 h
2
suomi
1
Seurantatapaaminen.
1
1
kyllä
/as kalle
1
"""


def seed(tmp_path):
    seed_state(tmp_path, BOOKED + SECOND, "Tehtävä T-2026-0002 on vahvistettu sinulle, Kalle.")


def test_a_debrief_a_withdrawal_and_an_announcement_by_email(tmp_path):
    seed(tmp_path)
    employee, expert, coordinator = Mailbox("employee"), Mailbox("expert"), Mailbox("coordinator")
    gateway = Gateway(tmp_path, {"anna": "email", "kalle": "email", "kaisa": "email"})
    # Wednesday 9.12.2026 just after 8.00 in Helsinki: the first session is behind them.
    start = datetime(2026, 12, 9, 8, 0, 5, tzinfo=timezone(timedelta(hours=2)))
    gateway.environment = {"KOKEMUS_SIMULATED_CLOCK": f"{start.isoformat()} anchor={time.time()} rate=1"}
    try:
        gateway.start()
        # Client work is demanding: Kalle is offered a debrief, and asks for one.
        offered = expert.next_with("kirjoita purku T-2026-0001")
        assert str(offered["Subject"]).startswith("Kokemusasiantuntijatoiminta: T-2026-0001"), str(offered["Subject"])
        expert.send("purku T-2026-0001")
        passed_on = expert.next_with("Pyyntösi purkukeskustelusta (tehtävä T-2026-0001) on välitetty")
        assert "Anna Virtanen sopii ajan kanssasi" in body(passed_on)
        asked = employee.next_with("pyytää purkukeskustelua tehtävästä T-2026-0001")
        assert "Kokemusasiantuntija K-12" in body(asked) and "expert@" not in asked.as_string()
        assert "Heikkinen" not in asked.as_string()
        employee.send("purku T-2026-0001 pidetty 45 min")
        assert "purkukeskustelu pidetty, 45 min" in body(employee.next_with("Kirjattu: tehtävän T-2026-0001"))
        assert "45 min" in body(expert.next_with("on kirjattu pidetyksi"))

        # Kalle gives Thursday's task up on Wednesday morning, before the free cancellation
        # deadline (15.00 the day before): no fee, and not marked late.
        expert.send("luovu T-2026-0002 Perheessä sattui jotain, en pääse.")
        assert "Palkkiota ei makseta" in body(expert.next_with("luovuit tehtävästä T-2026-0002"))
        told = employee.next_with("ei voi tehdä tehtävää T-2026-0002")
        assert "Perheessä" not in told.as_string(), body(told)
        # Its calendar entry is cancelled, and the subject says so, with the order and its day.
        assert str(told["Subject"]) == "Peruutus: T-2026-0002, yksilötyö asiakkaan kanssa 10.12.", str(told["Subject"])
        reason = coordinator.next_with("luopui tehtävästä T-2026-0002")
        assert "Syy: Perheessä sattui jotain, en pääse." in body(reason) and "Myöhään" not in body(reason), body(reason)

        # The coordinator's announcement: to Kalle once, titled as one; Kaisa's answer in her thread.
        coordinator.send("tiedote: Koulutus ryhmänohjauksesta 14.1. klo 13 Vanhassa kirjastossa.")
        sent = coordinator.next_with("Tiedote A-1 lähti 1 kokemusasiantuntijalle.")
        assert str(sent["Subject"]).startswith("Re:"), str(sent["Subject"])
        announced = expert.next_with("Koulutus ryhmänohjauksesta 14.1. klo 13 Vanhassa kirjastossa.")
        assert str(announced["Subject"]) == "Tiedote", str(announced["Subject"])
        assert "Tiedote koordinaattorilta (Kaisa Laine)" in body(announced)
        assert gateway.stop() == 0, gateway.log()
    finally:
        gateway.stop()
        employee.close()
        expert.close()
        coordinator.close()
