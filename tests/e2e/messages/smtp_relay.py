#!/usr/bin/python3
"""A real SMTP relay for the messages test (Debian's python3-aiosmtpd): STARTTLS required before
AUTH, one account, and every accepted message written to MAILDIR/<n>.eml. While the file
MAILDIR/refuse exists, it answers 451 to every message (a relay that is down for a while).

    smtp_relay.py PORT MAILDIR CERT KEY USER PASSWORD
"""
import os
import signal
import ssl
import sys
import threading

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


class Mailbox:
    def __init__(self, directory):
        self.directory = directory
        self.count = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        if os.path.exists(os.path.join(self.directory, 'refuse')):
            return '451 4.3.0 Relay refusing for the test'
        with self.lock:
            self.count += 1
            name = os.path.join(self.directory, f'{self.count:04d}.eml')
        with open(name + '.part', 'wb') as out:
            out.write(envelope.original_content)
        os.rename(name + '.part', name)  # the test never reads half a message
        return '250 2.0.0 Accepted'


class OneAccount:
    def __init__(self, user, password):
        self.user = user.encode()
        self.password = password.encode()

    def __call__(self, server, session, envelope, mechanism, auth_data):
        ok = (isinstance(auth_data, LoginPassword) and auth_data.login == self.user
              and auth_data.password == self.password)
        return AuthResult(success=ok)


def main():
    port, maildir, cert, key, user, password = sys.argv[1:7]
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    controller = Controller(Mailbox(maildir), hostname='127.0.0.1', port=int(port),
                            tls_context=context, require_starttls=True,
                            authenticator=OneAccount(user, password), auth_required=True,
                            auth_require_tls=True)
    controller.start()
    print('ready', flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    stop.wait()
    controller.stop()


if __name__ == '__main__':
    main()
