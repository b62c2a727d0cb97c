"""Reads every message a Maildir holds as a mail program would (Python's email package) and
prints them as JSON, oldest first: decoded headers, the plain-text part and the HTML part."""

import email
import email.policy
import json
import pathlib
import sys

messages = []
folder = pathlib.Path(sys.argv[1]) / "new"
for path in sorted(folder.iterdir(), key=lambda p: p.stat().st_mtime) if folder.exists() else []:
    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    plain = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    messages.append(
        {
            "subject": str(message["subject"]),
            "from": str(message["from"]),
            "to": str(message["to"]),
            "date": str(message["date"]),
            "message_id": str(message["message-id"]),
            "content_type": message.get_content_type(),
            "headers": [name for name, _ in message.items()],
            "text": plain.get_content() if plain else None,
            "html": html.get_content() if html else None,
        }
    )
print(json.dumps(messages))
