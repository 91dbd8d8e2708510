"""A real SMTP server for the e-mail channel's tests: Debian's aiosmtpd on
127.0.0.1 with STARTTLS (required), AUTH PLAIN/LOGIN (required, only over
TLS) and a user + password. Each mail received is printed as one JSON line
(subject, text, html, envelope, whether TLS and AUTH were used). Recipients
starting with "refuse" get 550, "later" 451.

usage: smtp-server.py PORT CERT KEY USER PASSWORD
"""
import asyncio
import email
import email.policy
import json
import ssl
import sys

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

port, cert, key, user, password = sys.argv[1:6]


class Handler:
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("refuse"):
            return "550 5.1.1 <%s>: mailbox unavailable" % address
        if address.startswith("later"):
            return "451 4.3.0 try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        msg = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        text = msg.get_body(preferencelist=("plain",))
        html = msg.get_body(preferencelist=("html",))
        print(json.dumps({
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "subject": str(msg["subject"]),
            "from": str(msg["from"]),
            "to": str(msg["to"]),
            "alert": str(msg["x-diemcau-alert"]),
            "text": text.get_content().replace("\r\n", "\n") if text else None,
            "html": html.get_content().replace("\r\n", "\n") if html else None,
            "charset": text.get_content_charset() if text else None,
            "tls": session.ssl is not None,
            "authenticated": session.authenticated,
        }), flush=True)
        return "250 2.0.0 queued as 42"


def authenticator(server, session, envelope, mechanism, auth_data):
    ok = (
        isinstance(auth_data, LoginPassword)
        and auth_data.login == user.encode()
        and auth_data.password == password.encode()
    )
    return AuthResult(success=ok, handled=False)


tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
tls.load_cert_chain(cert, key)
controller = Controller(
    Handler(),
    hostname="127.0.0.1",
    port=int(port),
    tls_context=tls,
    require_starttls=True,
    authenticator=authenticator,
    auth_required=True,
    auth_require_tls=True,
)
controller.start()
print("READY", flush=True)
try:
    asyncio.new_event_loop().run_until_complete(asyncio.Event().wait())
finally:
    controller.stop()
