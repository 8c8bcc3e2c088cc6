"""The e-mail channel against real Postfix and Dovecot on 127.0.0.1."""

import asyncio
import os
import re
import subprocess
import time
import uuid
from datetime import datetime, timedelta, timezone

import pytest

from conftest import BINARY, Gateway
from mailusers import BOT, Mailbox, body
from people import close, people

# MailClient.fetchChunk: the most messages one IMAP fetch asks for.
MAIL_FETCH_CHUNK = 50

ORDER_ANSWERS = [
    ("1", "Mistä aiheesta"),
    ("2", "Minkä yksikön"),
    ("1", "Milloin?"),
    ("8.12.2027 klo 14", "Kuinka kauan"),
    ("1,5 h", "paikan päällä vai etänä"),
    ("2", "Millä kielellä"),
    ("1", "Kenelle"),
    ("1", "Kuvaa tarve lyhyesti"),
    ("Asiakas tarvitsee vertaistukea arjen hallintaan.", "Kuinka monta tapaamiskertaa"),
    ("1", "Tarkista tilaus"),
]


@pytest.fixture
def employee():
    mailbox = Mailbox("employee")
    yield mailbox
    mailbox.close()


@pytest.fixture
def coordinator():
    mailbox = Mailbox("coordinator")
    yield mailbox
    mailbox.close()


def test_order_entirely_by_email(mail_gateway, employee, coordinator):
    first = employee.ask("tilaa")
    assert "Millaiseen tehtävään" in body(first)
    # Headers every bot mail carries.
    assert first["Auto-Submitted"] == "auto-generated"
    token = re.fullmatch(r"<([0-9a-f]{28})\.m\d+@example\.test>", str(first["Message-ID"])).group(1)
    assert first["Reply-To"].addresses[0].addr_spec == f"bot+{token}@example.test"
    reply = first
    for answer, expected in ORDER_ANSWERS:
        reply = employee.ask(answer, reply_to=reply)
        assert expected in body(reply), (answer, body(reply))
        # Answers go in the employee's thread.
        assert str(reply["Subject"]).startswith("Re: ")
    done = employee.ask("kyllä", reply_to=reply)
    order_id = re.search(r"T-\d{4}-\d{4}", body(done)).group(0)
    told = coordinator.next_from_bot()
    assert f"Uusi tilaus {order_id}" in body(told)
    assert str(told["Subject"]) == f"Uusi tilaus: {order_id}, yksilötyö asiakkaan kanssa 8.12.", str(told["Subject"])
    # A new mail naming the order in its subject is the orderer's; anyone else's is refused.
    coordinator.send("tila", subject=f"[{order_id}] kysymys")
    assert "Tilauksesi" in body(employee.ask_with_subject("tila", f"Re: [{order_id}]"))
    assert "the sender does not own the conversation" in mail_gateway.log()
    assert mail_gateway.stop() == 0
    assert order_id in mail_gateway.cli("orders", "list").stdout


def calendar_part(message, method="REQUEST"):
    parts = [part for part in message.walk() if part.get_content_type() == "text/calendar"]
    assert len(parts) == 1, message.as_string()
    assert parts[0].get_param("method") == method
    return parts[0].get_content().replace("\r\n ", "")


async def order_on_matrix(employee, room):
    """Anna's order through the whole flow in her Matrix room; returns its id."""
    await employee.ask(room, "tilaa")
    for answer, _ in ORDER_ANSWERS:
        await employee.ask(room, answer)
    return re.search(r"T-\d{4}-\d{4}", await employee.ask(room, "kyllä")).group(0)


def test_offer_accepted_by_email_with_calendar_invitations(mail_gateway, employee):
    expert = Mailbox("expert")
    try:
        reply = employee.ask("tilaa")
        for answer, _ in ORDER_ANSWERS:
            reply = employee.ask(answer, reply_to=reply)
        order_id = re.search(r"T-\d{4}-\d{4}", body(employee.ask("kyllä", reply_to=reply))).group(0)

        offer = expert.next_from_bot()
        assert f"Sinulle tarjotaan tehtävää {order_id}" in body(offer)
        assert "Asiakas tarvitsee vertaistukea" in body(offer)
        # A mail the gateway starts says what it is, with the order, its kind of task and day,
        # and starts a thread of its own.
        assert str(offer["Subject"]) == f"Tehtävätarjous: {order_id}, yksilötyö asiakkaan kanssa 8.12.", str(offer["Subject"])
        assert offer["In-Reply-To"] is None
        # The confirmation and the flow's thanks: two mails, in whichever order the MTA delivers them.
        expert_mails = [expert.ask("1", reply_to=offer), expert.next_from_bot()]
        confirmation = next(m for m in expert_mails if "on vahvistettu sinulle" in body(m))
        # An invitation as mail clients show one: the text and the calendar as alternatives of
        # one body (RFC 6047), and the same event as an .ics file; answers stay in one "Re:" thread.
        alternative = [part for part in confirmation.walk() if part.get_content_type() == "multipart/alternative"]
        assert [p.get_content_type() for p in alternative[0].iter_parts()] == ["text/plain", "text/calendar"]
        assert [p.get_filename() for p in confirmation.walk() if p.get_content_type() == "application/ics"] == ["invite.ics"]
        assert str(confirmation["Subject"]) == f"Vahvistus: {order_id}, yksilötyö asiakkaan kanssa 8.12.", str(confirmation["Subject"])
        invitation = calendar_part(confirmation)
        assert "METHOD:REQUEST" in invitation and "DTSTART:20271208T120000Z" in invitation
        assert "ORGANIZER;CN=" in invitation and "mailto:bot@example.test" in invitation
        assert "ATTENDEE;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=FALSE:mailto:expert@example.test" in invitation

        booked = employee.next_from_bot()
        assert "Kokemusasiantuntija K-12" in body(booked)
        assert str(booked["Subject"]) == f"Vahvistus: {order_id}, yksilötyö asiakkaan kanssa 8.12.", str(booked["Subject"])
        employee_invitation = calendar_part(booked)
        assert "mailto:employee@example.test" in employee_invitation
        # The expert's address and name reach nothing the employee gets: headers, text or calendar.
        for text in (booked.as_string(), employee_invitation):
            assert "expert@" not in text and "Heikkinen" not in text

        # A message with a phone number is held back; one without it is relayed, from the bot.
        held = expert.ask(f"viesti {order_id} Soita minulle 040 123 4567")
        assert "Viestiä ei välitetty" in body(held) and "puhelinnumero" in body(held)
        assert "Viesti välitetty" in body(expert.ask(f"viesti {order_id} Nähdään etäyhteydellä!"))
        relayed = employee.next_from_bot()
        assert "Nähdään etäyhteydellä!" in body(relayed)
        assert str(relayed["Subject"]) == f"Viesti: {order_id}, yksilötyö asiakkaan kanssa 8.12.", str(relayed["Subject"])
        assert "040 123 4567" not in body(relayed)
        assert "expert@" not in relayed.as_string()
    finally:
        expert.close()


def book_by_email(employee, expert):
    """Anna orders by mail and Kalle takes the offer; returns the order id and her booking mail."""
    reply = employee.ask("tilaa")
    for answer, _ in ORDER_ANSWERS:
        reply = employee.ask(answer, reply_to=reply)
    order_id = re.search(r"T-\d{4}-\d{4}", body(employee.ask("kyllä", reply_to=reply))).group(0)
    offer = expert.next_from_bot()
    expert.send("1", in_reply_to=str(offer["Message-ID"]).strip("<>"))
    booked = employee.next_from_bot()
    assert "Kokemusasiantuntija K-12" in body(booked)
    return order_id, booked


def test_relays_do_not_use_up_the_daily_cap_of_the_gateways_own_mail(tmp_path, employee):
    """With daily_cap 14 the order's dozen mails and three relays to the employee all arrive,
    and so does the answer after them: relays are counted apart from the gateway's own mail."""
    gateway = Gateway(tmp_path, {"anna": "email", "kalle": "email", "kaisa": "email"})
    gateway.config.write_text(gateway.config.read_text().replace("poll_seconds: 0.3\n", "poll_seconds: 0.3\n  daily_cap: 14\n"))
    gateway.start()
    expert = Mailbox("expert")
    try:
        order_id, _ = book_by_email(employee, expert)
        for number in range(3):
            expert.send(f"viesti {order_id} Viesti numero {number}.")
        relayed = [body(employee.next_from_bot()) for _ in range(3)]
        # In whichever order the MTA delivers them.
        assert all(any(f"Viesti numero {number}." in text for text in relayed) for number in range(3)), relayed
        assert "Tilauksesi:" in body(employee.ask("tila"))
        assert "today already" not in gateway.log()
    finally:
        expert.close()
        assert gateway.stop() == 0


REPLIES_AS_CLIENTS_WRITE_THEM = [
    ("Thunderbird, Finnish", "Nähdään tiistaina aulassa.\n\nAnna Virtanen kirjoitti 29.11.2026 klo 10.02:\n"
     "> Tilaukseesi on löytynyt kokemusasiantuntija.\n> Viestit hänelle kulkevat tämän palvelun kautta.\n"),
    ("Outlook, Finnish", "Kiitos, sopii hyvin.\n\n________________________________\n"
     "Lähettäjä: Kokemus <bot@example.test>\nLähetetty: sunnuntai 29. marraskuuta 2026 10.02\n"
     "Vastaanottaja: Anna Virtanen <employee@example.test>\nAihe: Re: Kokemus\n\n"
     "Tilaukseesi on löytynyt kokemusasiantuntija.\n"),
    ("Gmail, English", "See you on Tuesday.\n\nOn Sun, 29 Nov 2026 at 10:02, Anna Virtanen <employee@example.test> wrote:\n"
     "> An experience expert has been found for your order.\n"),
    ("iPhone, Swedish", "Vi ses på tisdag!\n\nSkickat från min iPhone\n\n"
     "> 29 nov. 2026 kl. 10:02 skrev Anna Virtanen <employee@example.test>:\n>\n> En erfarenhetsexpert har hittats.\n"),
]


def test_replies_written_as_mail_clients_write_them_relay_only_what_was_written(mail_gateway, employee):
    """The employee's replies in the forms Thunderbird, Outlook, Gmail and an iPhone give
    them: only her own words reach the expert, never the attribution line (her name and
    address) or the quoted text."""
    expert = Mailbox("expert")
    try:
        order_id, booked = book_by_email(employee, expert)
        expert.next_from_bot(), expert.next_from_bot()  # the confirmation and the flow's thanks
        for client, text in REPLIES_AS_CLIENTS_WRITE_THEM:
            employee.send(f"viesti {order_id} {text}", in_reply_to=str(booked["Message-ID"]).strip("<>"))
            relayed = body(expert.next_from_bot())
            written = text.split("\n")[0]
            assert written in relayed, (client, relayed)
            for leaked in ("employee@example.test", "29.11.2026", "kirjoitti", "Lähettäjä", "wrote:", "skrev", "iPhone",
                           "löytynyt", "been found", "hittats"):
                assert leaked not in relayed, (client, leaked, relayed)
    finally:
        expert.close()


def test_replies_are_traced_to_their_conversation(mail_gateway, employee, coordinator):
    first = employee.ask("tilaa")
    reply_address = first["Reply-To"].addresses[0].addr_spec
    # Someone else writing to the employee's reply address (or into her thread) is not served.
    coordinator.send("3", to=reply_address)
    coordinator.send("3", in_reply_to=str(first["Message-ID"]).strip("<>"))
    # The employee's own reply by the token address goes on.
    assert "Kuinka monta ryhmäkertaa" in body(employee.ask("3", reply_to=first))
    assert body(coordinator.ask("tila")).startswith("Sinulla ei ole asiointia kesken")
    assert mail_gateway.log().count("the sender does not own the conversation") == 2


def test_restart_between_receiving_and_answering(mail_gateway, employee):
    assert "Millaiseen tehtävään" in body(employee.ask("tilaa"))
    mail_gateway.stop(kill=True)
    employee.send("3")
    mail_gateway.start()
    assert "Kuinka monta ryhmäkertaa" in body(employee.next_from_bot())
    # Exactly once: the next answer is the answer to the next question, not a repeat.
    assert "Mistä aiheesta" in body(employee.ask("6"))


def bounce_of(recipient, returned_headers=""):
    """A delivery status report (RFC 3464) about `recipient`, with the returned mail's headers."""
    return ("From: MAILER-DAEMON@example.test\r\nTo: bot@example.test\r\nSubject: Undelivered Mail\r\n"
            f"Message-ID: <{uuid.uuid4().hex}@example.test>\r\n"
            "Content-Type: multipart/report; report-type=delivery-status; boundary=\"B\"\r\n\r\n"
            "--B\r\nContent-Type: text/plain\r\n\r\nCould not deliver.\r\n"
            "--B\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; x\r\n\r\n"
            f"Final-Recipient: rfc822; {recipient}\r\nAction: failed\r\nStatus: 5.1.1\r\n"
            f"--B\r\nContent-Type: text/rfc822-headers\r\n\r\n{returned_headers}\r\n--B--\r\n").encode()


def test_a_forged_sender_is_not_served_and_a_vouched_one_is(mail_gateway, employee, coordinator):
    """The test Postfix vouches the way a county's server does (OpenDKIM, forged verdicts
    dropped): a mail claiming to be the coordinator's, unsigned or with a verdict of its own
    making or signed by another domain, cancels nothing; her own signed mail is answered."""
    impostor = Mailbox("stranger")
    try:
        claimed = "Kaisa Laine <coordinator@example.test>"
        impostor.send("tilaa", sender=claimed, sign=False)
        impostor.send("tilaa", sender=claimed, sign=False,
                      headers={"Authentication-Results": "mail.example.test; dkim=pass header.d=example.test; dmarc=pass"})
        impostor.send("tilaa", sender=claimed, sign=False,
                      headers={"Authentication-Results": "mail.example.test; dmarc=pass header.from=example.test"})
        # Forms of the server's name that slip past a filter for that name alone (a comment glued
        # to it, a no-break space before it): the server drops every such header, and the
        # gateway reads only the topmost one, the server's own.
        for forged in (b"mail.example.test(x); dkim=pass header.d=example.test",
                       b"\xc2\xa0mail.example.test; dmarc=pass header.from=example.test"):
            impostor.send_raw(b"Authentication-Results:" + (b"" if forged.startswith(b"\xc2") else b" ") + forged + b"\r\n"
                              b"From: Kaisa Laine <coordinator@example.test>\r\nTo: bot@example.test\r\n"
                              b"Subject: x\r\nMessage-ID: <" + uuid.uuid4().hex.encode() + b"@evil.example>\r\n"
                              b"Content-Type: text/plain; charset=utf-8\r\n\r\ntilaa\r\n", sign=False)
        # Two mailboxes in From: which one sent it, no check can say.
        employee.send("tilaa", sender=f"Anna <{employee.address}>, Kaisa <coordinator@example.test>")
        # Mail is read in order: her own signed mail is answered after the six were handled.
        assert "Millaiseen tehtävään" in body(employee.ask("tilaa"))
        coordinator._fetch_new()
        impostor._fetch_new()
        assert coordinator.received == [] and impostor.received == []
        assert mail_gateway.log().count("the receiving mail server does not vouch for the sender; not served") == 6
    finally:
        impostor.close()


def test_auto_replies_and_bounces_cause_no_loop(mail_gateway, employee, coordinator):
    employee.send("Olen lomalla 1.12. asti.", subject="Automaattinen vastaus: Kokemus",
                  headers={"Auto-Submitted": "auto-replied"})
    # A forged bounce about an address the gateway never mailed: nothing comes of it.
    employee.send_raw(bounce_of("nobody@example.test"), sender="")
    # Mail is read in order: the answer to this one comes after the two above were handled.
    answer = employee.ask("tila")
    assert "Sinulla ei ole asiointia kesken" in body(answer)
    assert employee.received == []
    log = mail_gateway.log()
    assert "email: not answering automatic mail" in log
    assert "a bounce about no mail of ours; ignored" in log and "email: delivery failed" not in log
    # A bounce of the mail the gateway really sent (its Message-ID carries the signed token).
    returned = f"From: {answer['From']}\r\nTo: {employee.address}\r\nMessage-ID: {answer['Message-ID']}"
    employee.send_raw(bounce_of(employee.address, returned), sender="")
    told = body(coordinator.next_from_bot())
    assert employee.address in told and "nobody@example.test" not in told
    assert "email: delivery failed" in mail_gateway.log()


def test_a_stranger_is_not_answered_unless_the_county_set_a_text(mail_gateway, employee):
    stranger = Mailbox("stranger")
    try:
        stranger.send("Haluaisin kokemusasiantuntijaksi.")
        # Mail is handled in order: once the employee is answered, the stranger's was read.
        employee.ask("tila")
        stranger._fetch_new()
        assert [m for m in stranger.received if BOT in str(m["From"])] == []
        assert "mail from someone not in the registry" in mail_gateway.log()
    finally:
        stranger.close()


def test_a_stranger_gets_the_countys_text_once_a_day(tmp_path, employee):
    gateway = Gateway(tmp_path, {"anna": "email", "kalle": "email", "kaisa": "email"})
    with open(gateway.config, "a") as config:
        config.write('  stranger_reply: "Tämä osoite palvelee vain rekisteröityjä. Katso hyvinvointialueen verkkosivut."\n')
    stranger = Mailbox("stranger")
    try:
        gateway.start()
        stranger.send("Haluaisin kokemusasiantuntijaksi.")
        stranger.send("Saitteko viestini?")
        answer = stranger.next_from_bot()
        assert "palvelee vain rekisteröityjä" in body(answer)
        assert "Kaisa" not in body(answer) and "coordinator@" not in body(answer)
        assert answer["Auto-Submitted"] == "auto-generated"
        assert answer["Return-Path"] == "<>"
        employee.ask("tila")
        stranger._fetch_new()
        assert [m for m in stranger.received if BOT in str(m["From"])] == []
    finally:
        stranger.close()
        status = gateway.stop()
    assert status == 0, gateway.log()[-2000:]


def test_latin1_mail_with_encoded_words(mail_gateway, employee):
    raw = (b"From: =?ISO-8859-1?Q?Anna_M=E4ki?= <employee@example.test>\r\nTo: bot@example.test\r\n"
           b"Subject: =?ISO-8859-1?Q?P=E4=E4st=E4=E4nk=F6_tilaamaan?=\r\nMessage-ID: <" +
           uuid.uuid4().hex.encode() + b"@example.test>\r\n"
           b"Content-Type: text/plain; charset=ISO-8859-1\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
           b"tilaa\r\n\r\nYst=E4v=E4llisesti\r\n")
    employee.send_raw(raw)
    answer = employee.next_from_bot()
    assert "Millaiseen tehtävään" in body(answer)
    assert str(answer["Subject"]) == "Re: Päästäänkö tilaamaan"



def test_employee_on_matrix_coordinator_on_email(mixed_gateway, coordinator):
    async def scenario():
        (employee,) = await people(mixed_gateway.users["employee"])
        try:
            room = await employee.open_dm_with_bot()
            assert "Millaiseen tehtävään" in await employee.ask(room, "tilaa")
            for answer, expected in ORDER_ANSWERS:
                assert expected in await employee.ask(room, answer)
            done = await employee.ask(room, "kyllä")
            return re.search(r"T-\d{4}-\d{4}", done).group(0)
        finally:
            await close(employee)

    order_id = asyncio.run(scenario())
    told = coordinator.next_from_bot()
    assert f"Uusi tilaus {order_id}" in body(told)
    assert str(told["Subject"]) == f"Uusi tilaus: {order_id}, yksilötyö asiakkaan kanssa 8.12.", str(told["Subject"])
    # Nothing in the mail names the employee's Matrix account.
    assert "@employee" not in told.as_string() and ":localhost" not in told.as_string()


def test_employee_on_matrix_expert_on_email(mixed_gateway):
    expert = Mailbox("expert")

    async def scenario():
        (employee,) = await people(mixed_gateway.users["employee"])
        try:
            room = await employee.open_dm_with_bot()
            order_id = await order_on_matrix(employee, room)
            # The expert answers by e-mail (blocking calls: the Matrix client waits meanwhile).
            offer = expert.next_from_bot()
            assert f"Sinulle tarjotaan tehtävää {order_id}" in body(offer)
            expert.ask("1", reply_to=offer)
            text = await employee.wait_for_bot_text("Kokemusasiantuntija K-12")
            assert order_id in text
            return str(employee.events)
        finally:
            await close(employee)

    try:
        everything = asyncio.run(scenario())
        # Nothing the employee's Matrix client saw names the expert's address or account.
        assert "expert@" not in everything and mixed_gateway.users["expert"] not in everything
    finally:
        expert.close()


def test_changes_across_channels(mixed_gateway):
    """The employee on Matrix moves a session, the expert on e-mail agrees, later falls ill,
    and the employee asks for a substitute: every decision reaches both, calendars follow,
    and nothing on the employee's side names the expert's address or account."""
    expert = Mailbox("expert")

    async def scenario():
        (employee,) = await people(mixed_gateway.users["employee"])
        try:
            room = await employee.open_dm_with_bot()
            order_id = await order_on_matrix(employee, room)
            offer = expert.next_from_bot()
            expert.ask("1", reply_to=offer)
            expert.next_from_bot()
            assert "Kokemusasiantuntija K-12" in await employee.next_from_bot(room)

            proposed = await employee.ask(room, f"siirrä {order_id} 9.12.2027 klo 10")
            assert "Siirtoehdotus" in proposed
            asked = expert.next_from_bot()
            assert f"siirrä {order_id} kyllä" in body(asked)
            moved = expert.ask(f"siirrä {order_id} kyllä")
            assert "on siirretty" in body(moved)
            invitation = calendar_part(moved)
            # 10.00 in Helsinki in December is 08.00 UTC; the event is the same one, changed once.
            assert "DTSTART:20271209T080000Z" in invitation and "SEQUENCE:1" in invitation
            assert f"UID:kokemus-{order_id}@" in invitation
            told = await employee.next_from_bot(room)
            assert "on siirretty" in told and "9.12.2027 klo 10.00" in told

            ill = expert.ask(f"sairas {order_id} flunssa")
            assert "olet sairaana" in body(ill) and "Palkkiota ei makseta" in body(ill)
            cancel = calendar_part(ill, "CANCEL")
            assert "METHOD:CANCEL" in cancel and "SEQUENCE:2" in cancel
            notice = await employee.next_from_bot(room)
            assert "Kokemusasiantuntija K-12" in notice and f"korvaaja {order_id}" in notice
            substitute = await employee.ask(room, f"korvaaja {order_id}")
            assert "toiselle kokemusasiantuntijalle" in substitute

            fees = expert.ask("palkkio")
            assert "Palkkiosi, Kalle" in body(fees)
            return str(employee.events)
        finally:
            await close(employee)

    try:
        everything = asyncio.run(scenario())
        assert "expert@" not in everything and mixed_gateway.users["expert"] not in everything
        assert "Heikkinen" not in everything
    finally:
        expert.close()


GROUP_ANSWERS = [
    ("3", "Kuinka monta ryhmäkertaa"),
    ("4", "Mistä aiheesta"),
    ("2", "Minkä yksikön"),
    ("1", "Milloin?"),
    ("13.1.2027 klo 14", "Kuinka kauan"),
    ("1,5 h", "paikan päällä vai etänä"),
    ("2", "Millä kielellä"),
    ("1", "Kenelle"),
    ("2", "Kuvaa tarve lyhyesti"),
    ("Vertaisryhmä päihteistä toipuville.", "Onko sovittu etukäteen syitä"),
    ("alle kolme osallistujaa kahdesti peräkkäin", "Osallistuuko kokemusasiantuntija ryhmän suunnitteluun"),
    ("ei", "Kuinka usein"),
    ("1", "Etukäteen sovitut lopettamissyyt: alle kolme"),
]


def test_a_group_session_called_off_is_paid_until_the_coordinator_releases_it(mixed_gateway, coordinator):
    """000 §6.2 across channels: Anna on Matrix orders a group with reasons agreed for
    stopping it and calls off its second session weeks ahead; Kalle on e-mail is told it is
    paid all the same; Kaisa on e-mail releases it, and both are told it is not paid."""
    expert = Mailbox("expert")

    async def scenario():
        (employee,) = await people(mixed_gateway.users["employee"])
        try:
            room = await employee.open_dm_with_bot()
            await employee.ask(room, "tilaa")
            for answer, expected in GROUP_ANSWERS:
                assert expected in await employee.ask(room, answer)
            order_id = re.search(r"T-\d{4}-\d{4}", await employee.ask(room, "kyllä")).group(0)
            assert f"Uusi tilaus {order_id}" in body(coordinator.next_from_bot())
            offer = expert.next_from_bot()
            assert "Aika: 4 kertaa: 13.1.2027 klo 14.00, 20.1.2027 klo 14.00" in body(offer)
            expert.ask("1", reply_to=offer)
            expert.next_from_bot()
            assert "Kokemusasiantuntija K-12" in await employee.next_from_bot(room)

            cancelled = await employee.ask(room, f"peru {order_id} 2 ryhmätila on varattu muuhun")
            assert "Ryhmän sovitut kerrat maksetaan" in cancelled
            assert "sovitut syyt: alle kolme osallistujaa kahdesti peräkkäin" in cancelled
            told = expert.next_from_bot()
            assert "Ryhmän sovitut kerrat maksetaan" in body(told)
            assert "METHOD:CANCEL" in calendar_part(told, "CANCEL")

            recorded = coordinator.ask(f"vapauta {order_id} 2 tila suljettiin vesivahingon vuoksi")
            assert f"Muutos tallennettu tilaukseen {order_id}" in body(recorded)
            released = expert.next_from_bot()
            assert "jää pois" in body(released) and "Siitä ei makseta palkkiota" in body(released)
            assert "jää pois" in await employee.next_from_bot(room)
            return str(employee.events)
        finally:
            await close(employee)

    try:
        everything = asyncio.run(scenario())
        assert "expert@" not in everything and mixed_gateway.users["expert"] not in everything
    finally:
        expert.close()


def restart_imap_server():
    """Stops Dovecot (the IMAP server the gateway polls) and starts it again, as an operator would."""
    import os
    import signal
    import socket
    import subprocess
    import time
    state = os.environ["MAIL_STATE"]
    pid = int(open(f"{state}/dovecot/run/master.pid").read().split()[0])
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.1)
    subprocess.run(["dovecot", "-c", f"{state}/dovecot/dovecot.conf"], check=True, stdin=subprocess.DEVNULL,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    port = int(os.environ["MAIL_IMAP_PORT"])
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise AssertionError("dovecot did not come back")


def test_imap_server_restart_mid_conversation(mail_gateway):
    employee = Mailbox("employee")
    try:
        reply = employee.ask("tilaa")
        for answer, expected in ORDER_ANSWERS[:2]:
            reply = employee.ask(answer, reply_to=reply)
            assert expected in body(reply)
        restart_imap_server()
        # The test's own IMAP connection went with the server; the gateway's reconnects by itself.
        employee.close()
        employee = Mailbox("employee")
        for answer, expected in ORDER_ANSWERS[2:4]:
            reply = employee.ask(answer, reply_to=reply)
            assert expected in body(reply)
    finally:
        employee.close()
    assert mail_gateway.process.poll() is None
    # The log says what happened, once per doubling of the wait rather than every poll.
    log = mail_gateway.log()
    assert "email: poll failed; trying again" in log and "email: polling again" in log
    assert log.count("poll failed") <= 6, log


def test_sigterm_ends_a_long_poll_interval_at_once(tmp_path):
    """With two minutes between polls, SIGTERM still ends the gateway without waiting the
    interval out (the wait wakes on the shutdown)."""
    gateway = Gateway(tmp_path, {"anna": "email", "kalle": "email", "kaisa": "email"})
    gateway.config.write_text(gateway.config.read_text().replace("poll_seconds: 0.3", "poll_seconds: 120"))
    gateway.start()
    started = time.monotonic()
    status = gateway.stop(patience=20)
    print(f"SIGTERM to exit with a 120 s poll interval: {time.monotonic() - started:.2f} s")
    assert status == 0, gateway.log()[-2000:]


def test_new_mail_is_read_at_once_with_imap_idle(tmp_path, employee):
    """With ten minutes between polls, answers still come at once: between polls the gateway
    waits on the mailbox with IDLE, and Dovecot tells it of each new mail. Without IDLE the
    first answer would wait for the next poll, long after the test's patience."""
    gateway = Gateway(tmp_path, {"anna": "email", "kalle": "email", "kaisa": "email"})
    gateway.config.write_text(gateway.config.read_text().replace("poll_seconds: 0.3", "poll_seconds: 600"))
    gateway.start()
    try:
        reply = employee.ask("tilaa")
        assert "Millaiseen tehtävään" in body(reply)
        for answer, expected in ORDER_ANSWERS[:3]:
            reply = employee.ask(answer, reply_to=reply)
            assert expected in body(reply)
        assert "IDLE failed" not in gateway.log()
    finally:
        print(gateway.log()[-3000:])  # shown when the test fails
        assert gateway.stop(patience=20) == 0, gateway.log()[-2000:]


def test_mail_waiting_at_a_start_is_read_in_one_imap_session_and_answered_over_one_smtp_connection(tmp_path, employee):
    """Mail that waited while the gateway was down (more than one fetch's worth) is read in
    one IMAP session (one login for the status, the search and every fetch: connections
    counted at a proxy in front of Dovecot, IDLE off so that only the poll connects) and
    answered over one SMTP connection kept from answer to answer (counted at a proxy in
    front of Postfix), each answer once."""
    from faultproxy import TCPFaultProxy

    imap = TCPFaultProxy(os.environ["MAIL_IMAP_URL"])
    smtp = TCPFaultProxy(os.environ["MAIL_SMTP_URL"])
    gateway = Gateway(tmp_path, {"anna": "email", "kalle": "email", "kaisa": "email"}, imap_url=imap.url,
                      smtp_url=smtp.url)
    text = gateway.config.read_text().replace("poll_seconds: 0.3", "poll_seconds: 600")
    gateway.config.write_text(text + "  idle: false\n")
    # A first start fixes where reading begins (mail before it is not acted on).
    gateway.start()
    waiting = MAIL_FETCH_CHUNK + 5
    try:
        gateway.stop()
        imap_before, smtp_before = imap.connections, smtp.connections
        bot = Mailbox("bot")
        for n in range(waiting):
            employee.send("tila", subject=f"Kysymys {n}")
        # All delivered by Postfix before the start: the one poll must find them all.
        while bot._uidnext() - bot.next_uid < waiting:
            bot._idle(1)
        bot.close()
        gateway.start()
        answers = [employee.next_from_bot() for _ in range(waiting)]
        assert all(body(answer).strip() for answer in answers)
        employee._fetch_new()
        assert [m for m in employee.received if BOT in str(m["From"])] == []
        assert imap.connections - imap_before == 1, imap.connections - imap_before
        assert smtp.connections - smtp_before == 1, smtp.connections - smtp_before
    finally:
        print(gateway.log()[-3000:])  # shown when the test fails
        gateway.stop()
        smtp.close()
        imap.close()


PAYROLL_SEED = """/time 2026-11-02T09:00
/as anna
tilaa
1
2
1
ti 10.11. klo 14
1,5 h
2
suomi
1
Asiakas tarvitsee vertaistukea.
1
kyllä
/as kalle
1
/time 2026-11-10T15:40
kyllä
0
/as anna
peruuta
/time 2026-12-01T08:00
/as kalle
1
/as liisa
1
"""


def test_payroll_gets_the_approved_reports_by_email_on_the_tenth(tmp_path):
    """The last mile (000 §6.3, 002): November's work, confirmed and approved by the 9th in
    the console demo, reaches payroll's real mailbox on 10.12. at 8.00 without anyone running
    a command: a CSV file per payment mode attached, the reports and totals in the text.
    (That each report goes once, across restarts too, PayrollTests shows.)"""
    script = tmp_path / "november.script"
    script.write_text(PAYROLL_SEED)
    seeded = subprocess.run([str(BINARY), "demo", "--script", str(script), "--state", str(tmp_path / "state")],
                            capture_output=True, text=True, check=False)
    assert seeded.returncode == 0, seeded.stderr
    assert "Palkkio maksetaan 31.12.2026" in seeded.stdout, seeded.stdout[-2000:]
    payroll = Mailbox("payroll")
    gateway = Gateway(tmp_path, {"anna": "email", "kalle": "email", "kaisa": "email"})
    start = datetime(2026, 12, 10, 8, 0, 5, tzinfo=timezone(timedelta(hours=2)))
    gateway.environment = {"KOKEMUS_SIMULATED_CLOCK": f"{start.isoformat()} anchor={time.time()} rate=1"}
    try:
        gateway.start()
        mail = payroll.next_from_bot()
        text = body(mail)
        assert "Kokemusasiantuntijoiden hyväksytyt palkkioilmoitukset, maksupäivä 31.12.2026" in text, text
        assert "P-2026-11-kalle-mielenterveys-porvoo: Kalle Heikkinen" in text, text
        files = [part for part in mail.walk() if part.get_filename()]
        assert [part.get_filename() for part in files] == ["payroll-2026-12-10-fee.csv"], files
        assert files[0].get_content_type() == "text/csv"
        rows = files[0].get_payload(decode=True).decode("utf-8").split("\r\n")
        assert rows[0].startswith("report_id,month,payday,expert_id,expert_name,unit_id,unit_name,cost_centre,"), rows
        assert rows[1].startswith("P-2026-11-kalle-mielenterveys-porvoo,2026-11,2026-12-31,kalle,Kalle Heikkinen,"), rows
        assert rows[1].endswith(",fee,,2026-12-10T08:00") and rows[2] == "", rows
        assert gateway.stop() == 0, gateway.log()
    finally:
        gateway.stop()
        payroll.close()
