"""What a timeline refresh costs compared with loading the complaint page.

Prints bytes on the wire (gzip, as a browser would receive them) and median server time for:
the full complaint page (baseline), the timeline fragment, and the 304 answer when nothing changed.
Usage: .venv/bin/python bench/timeline_refresh.py [repeat]
"""
from __future__ import annotations

import gzip
import re
import sys

from _app import bench_app, median_ms, timed


def main(repeat: int = 300) -> None:
    app = bench_app()
    from tests.factories import create_complaint, create_document, create_event, create_service, create_victim
    from tests.factories import sign_in_victim
    from tests.webclient import Client

    with app.app_context():
        victim = create_victim()
        complaint = create_complaint(create_service(), victim=victim)
        for code in ("victime_entendue", "enquete_en_cours", "mis_en_cause_entendu", "transmis_parquet"):
            create_event(complaint, code, note="Une précision du service pour la victime.")
        create_document(complaint)
        client = Client(app)
        sign_in_victim(client, victim)
        page_url = f"/plaintes/{complaint.public_id}"
        fragment_url = f"{page_url}/chronologie"
        htmx = {"HX-Request": "true"}
        etag = client.get(fragment_url, headers=htmx).headers["ETag"]

        rows = []
        for label, fn in [
            ("complaint page (baseline)", lambda: client.get(page_url)),
            ("timeline fragment, changed", lambda: client.get(fragment_url, headers=htmx)),
            ("timeline fragment, 304", lambda: client.get(fragment_url, headers={**htmx, "If-None-Match": etag})),
        ]:
            response = fn()
            body = response.get_data()
            headers = sum(len(k) + len(v) + 4 for k, v in response.headers.items())
            wire = len(gzip.compress(body)) if body else 0
            rows.append((label, response.status_code, wire + headers, median_ms(timed(fn, repeat))))

    base_bytes, base_ms = rows[0][2], rows[0][3]
    print(f"{'request':<30} {'status':>6} {'bytes (gzip+headers)':>21} {'ratio':>6} {'median ms':>10} {'ratio':>6}")
    for label, status, size, ms in rows:
        print(f"{label:<30} {status:>6} {size:>21} {size / base_bytes:>6.2f} {ms:>10.2f} {ms / base_ms:>6.2f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 300)
