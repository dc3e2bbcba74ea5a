#!/usr/bin/python3
"""A local SMTP server for the e-mail tests: every message it receives is
saved as DIR/NNN.eml (the DATA as received) with DIR/NNN.rcpt (one envelope
recipient a line). It picks a free port on 127.0.0.1 and writes it to
PORTFILE once it accepts connections; it runs until SIGTERM or SIGINT.

usage: smtp_sink.py DIR PORTFILE
"""
import os
import signal
import socket
import sys
import threading

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, folder):
        self.folder = folder
        self.count = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.count += 1
            base = os.path.join(self.folder, "%03d" % self.count)
        data = envelope.original_content or envelope.content
        if isinstance(data, str):
            data = data.encode("utf-8", "surrogateescape")
        with open(base + ".tmp", "wb") as f:
            f.write(data)
        with open(base + ".rcpt", "w") as f:
            f.write("\n".join(envelope.rcpt_tos) + "\n")
        # the .eml appears last, complete: tests poll for it
        os.rename(base + ".tmp", base + ".eml")
        return "250 OK"


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def main():
    folder, portfile = sys.argv[1], sys.argv[2]
    os.makedirs(folder, exist_ok=True)
    port = free_port()
    ctl = Controller(Sink(folder), hostname="127.0.0.1", port=port)
    ctl.start()
    with open(portfile + ".tmp", "w") as f:
        f.write("%d\n" % port)
    os.rename(portfile + ".tmp", portfile)
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *a: done.set())
    signal.signal(signal.SIGINT, lambda *a: done.set())
    while not done.wait(0.2):
        pass
    ctl.stop()


if __name__ == "__main__":
    main()
