"""Scripted e-mail users for the integration tests: they send with smtplib to the local
Postfix and read their Dovecot mailbox with imaplib, waiting with IMAP IDLE for mail to
arrive rather than sleeping."""

import email
import email.policy
import imaplib
import os
import select
import smtplib
import time
import uuid
from email.message import EmailMessage
from urllib.parse import urlparse

DOMAIN = os.environ.get("MAIL_DOMAIN", "example.test")
BOT = f"bot@{DOMAIN}"
PATIENCE = float(os.environ.get("KOKEMUS_TEST_PATIENCE", "60"))


def _endpoint(variable, default_port):
    url = urlparse(os.environ.get(variable, f"x://127.0.0.1:{default_port}"))
    return url.hostname, url.port


class Mailbox:
    def __init__(self, user):
        self.user = user
        self.address = f"{user}@{DOMAIN}"
        host, port = _endpoint("MAIL_IMAP_URL", 1143)
        self.imap = imaplib.IMAP4(host, port)
        self.imap.login(user, f"pass-{user}")
        self.imap.select("INBOX")
        # Only mail from now on is this test's business.
        self.next_uid = self._uidnext()
        self.received = []

    def close(self):
        try:
            self.imap.logout()
        except Exception:
            pass

    def _uidnext(self):
        status, data = self.imap.status("INBOX", "(UIDNEXT)")
        assert status == "OK", data
        return int(data[0].decode().split("UIDNEXT")[1].strip(" )"))

    def send(self, text, subject="Kokemus", in_reply_to=None, headers=None, charset="utf-8", sender=None, to=BOT):
        """Sends a plain mail to the bot (or its reply address `to`); returns its Message-ID."""
        message = EmailMessage()
        message["From"] = sender or f"{self.user.capitalize()} <{self.address}>"
        message["To"] = to
        message["Subject"] = subject
        message_id = f"{uuid.uuid4().hex}@{DOMAIN}"
        message["Message-ID"] = f"<{message_id}>"
        if in_reply_to:
            message["In-Reply-To"] = f"<{in_reply_to}>"
            message["References"] = f"<{in_reply_to}>"
        for name, value in (headers or {}).items():
            message[name] = value
        message.set_content(text, charset=charset)
        self.send_raw(message.as_bytes(), recipient=to)
        return message_id

    def send_raw(self, data, sender=None, recipient=BOT):
        host, port = _endpoint("MAIL_SMTP_URL", 2525)
        with smtplib.SMTP(host, port) as smtp:
            smtp.sendmail(sender if sender is not None else self.address, [recipient], data)

    def _fetch_new(self):
        status, data = self.imap.uid("SEARCH", None, f"UID {self.next_uid}:*")
        assert status == "OK", data
        uids = sorted(int(uid) for uid in data[0].split() if int(uid) >= self.next_uid)
        for uid in uids:
            status, parts = self.imap.uid("FETCH", str(uid), "(BODY.PEEK[])")
            assert status == "OK", parts
            self.received.append(email.message_from_bytes(parts[0][1], policy=email.policy.default))
            self.next_uid = uid + 1

    def _idle(self, seconds):
        """Waits until the server says something changed, at most `seconds`."""
        tag = self.imap._new_tag()
        self.imap.send(tag + b" IDLE\r\n")
        assert self.imap.readline().startswith(b"+"), "IDLE refused"
        # select, not a socket timeout: a timed-out socket file cannot be read again.
        if select.select([self.imap.sock], [], [], seconds)[0]:
            self.imap.readline()
        self.imap.send(b"DONE\r\n")
        while not self.imap.readline().startswith(tag):
            pass

    def next_from_bot(self, patience=PATIENCE):
        """The next mail from the bot that the test has not read yet."""
        deadline = time.monotonic() + patience
        while True:
            self._fetch_new()
            for index, message in enumerate(self.received):
                if BOT in str(message["From"]):
                    return self.received.pop(index)
            if time.monotonic() > deadline:
                raise AssertionError(f"{self.user}: no mail from the bot")
            self._idle(min(5, max(0.1, deadline - time.monotonic())))

    def ask_with_subject(self, text, subject):
        self.send(text, subject=subject)
        return self.next_from_bot()

    def ask(self, text, reply_to=None):
        """Sends text (as a reply to reply_to's thread, with the quote a mail client adds)
        and returns the bot's answer."""
        if reply_to is not None:
            quoted = "\n".join("> " + line for line in body(reply_to).splitlines())
            text = f"{text}\n\nti 24. marrask. 2026 klo 14.30 Kokemus <{BOT}> kirjoitti:\n\n{quoted}\n"
            # As a mail client does: to the Reply-To address, in the thread.
            self.send(text, subject="Re: " + str(reply_to["Subject"]), in_reply_to=str(reply_to["Message-ID"]).strip("<>"),
                      to=reply_to["Reply-To"].addresses[0].addr_spec)
        else:
            self.send(text)
        return self.next_from_bot()


def body(message):
    return message.get_body(preferencelist=("plain",)).get_content()
