"""Scripted e-mail users for the integration tests: they send with smtplib to the local
Postfix and read their Dovecot mailbox with imaplib, waiting with IMAP IDLE for mail to
arrive rather than sleeping. Their mail is DKIM-signed with the test domain's key, as the
county's own outgoing server would sign it, so that Postfix's OpenDKIM vouches for it."""

import email
import email.policy
import email.utils
import imaplib
import os
import re
import select
import smtplib
import time
import uuid
from email.message import EmailMessage
from urllib.parse import urlparse

import dkim

DOMAIN = os.environ.get("MAIL_DOMAIN", "example.test")
BOT = f"bot@{DOMAIN}"
PATIENCE = float(os.environ.get("KOKEMUS_TEST_PATIENCE", "60"))
DKIM_KEY = os.environ.get("MAIL_DKIM_KEY", os.path.join(os.environ.get("MAIL_STATE", "/tmp/kokemus-mail"), "dkim", "test.private"))
DKIM_SELECTOR = os.environ.get("MAIL_DKIM_SELECTOR", "test")
# Signed when present (an absent one is not listed: Postfix may add Date or Message-ID); From
# once more, so that no second From: can be added after signing.
SIGNED_HEADERS = ["From", "Sender", "Reply-To", "To", "Cc", "Subject", "Date", "Message-ID", "In-Reply-To", "References",
                  "MIME-Version", "Content-Type", "Content-Transfer-Encoding", "Auto-Submitted"]


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

    def send(self, text, subject="Kokemus", in_reply_to=None, headers=None, charset="utf-8", sender=None, to=BOT,
             sign=True):
        """Sends a plain mail to the bot (or its reply address `to`); returns its Message-ID.
        `sign=False` sends it unsigned, as a forger would."""
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
        self.send_raw(message.as_bytes(), recipient=to, sign=sign)
        return message_id

    def send_raw(self, data, sender=None, recipient=BOT, sign=True):
        if sign:
            data = signed(data)
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

    def next_with(self, text, most=6):
        """The next mail from the bot holding text, skipping at most `most` others (whose order
        the mail server decides, or that the test does not look at: an hours question, a
        feedback request); those skipped are gone."""
        seen = []
        for _ in range(most):
            message = self.next_from_bot()
            if text in body(message):
                return message
            seen.append(body(message)[:120])
        raise AssertionError(f"{self.user}: no mail with {text!r} in {seen}")

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


def signed(data):
    """The mail with a DKIM signature of the test domain in front, when its From: is in that
    domain; mail from elsewhere goes unsigned (the tests hold no other domain's key), so the
    server does not vouch for it."""
    data = re.sub(rb"\r?\n", b"\r\n", data)
    headers = email.message_from_bytes(data.split(b"\r\n\r\n", 1)[0] + b"\r\n\r\n", policy=email.policy.compat32)
    addresses = email.utils.getaddresses(headers.get_all("From", []))
    if len(addresses) != 1 or not addresses[0][1].lower().endswith("@" + DOMAIN.lower()):
        return data
    present = [name for name in SIGNED_HEADERS if name in headers] + ["From"]
    with open(DKIM_KEY, "rb") as key:
        signature = dkim.sign(data, DKIM_SELECTOR.encode(), DOMAIN.encode(), key.read(),
                              canonicalize=(b"relaxed", b"relaxed"), include_headers=[n.encode() for n in present])
    return signature + data


def body(message):
    return message.get_body(preferencelist=("plain",)).get_content()
