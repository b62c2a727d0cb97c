"""Verifies the DKIM signature of every message in a Maildir with dkimpy, as a receiving mail
server would, answering its DNS question with the public key given (base64 of the DER key):
prints one line a message, "ok" or why not, and fails unless all are ok."""

import pathlib
import sys

import dkim


def main():
    maildir, public_key = sys.argv[1], sys.argv[2]
    record = f"v=DKIM1; k=rsa; p={public_key}".encode()

    def dns(name, timeout=5):
        return record if name.startswith(b"rotative._domainkey.gazette.example") else None

    failed = False
    for path in sorted((pathlib.Path(maildir) / "new").iterdir()):
        data = path.read_bytes()
        good = dkim.verify(data, dnsfunc=dns)
        print("ok" if good else "not verified")
        failed = failed or not good
    sys.exit(1 if failed else 0)


main()
