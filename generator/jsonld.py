"""schema.org Event JSON-LD, built from the same data as the visible page."""

from __future__ import annotations

import json

from .dates import iso
from .model import Facility
from .series import Occurrence

STATUS = {
    "scheduled": "https://schema.org/EventScheduled",
    "full": "https://schema.org/EventScheduled",
    "cancelled": "https://schema.org/EventCancelled",
    "postponed": "https://schema.org/EventPostponed",
}


def _place(occ: Occurrence, facility: Facility) -> dict:
    venue = occ.item.venue
    if venue.address:
        return {"@type": "Place", "name": venue.name,
                "address": {"@type": "PostalAddress", "streetAddress": venue.address, "addressCountry": "JP"}}
    address = {"@type": "PostalAddress", "addressRegion": "神奈川県", "streetAddress": facility.address, "addressCountry": "JP"}
    if facility.postal_code:
        address["postalCode"] = facility.postal_code
    return {"@type": "Place", "name": f"{facility.name} {venue.name}", "address": address}


def event_data(occ: Occurrence, url: str, facility: Facility, site_url: str) -> dict:
    item = occ.item
    data = {
        "@context": "https://schema.org",
        "@type": "EducationEvent" if item.program else "Event",
        "name": item.title,
        "startDate": iso(occ.date, occ.start),
        "endDate": iso(occ.end_date, occ.end) if occ.end or occ.end_date != occ.date else iso(occ.end_date, occ.start),
        "eventStatus": STATUS[occ.status],
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
        "location": _place(occ, facility),
        "organizer": ({"@type": "Organization", "name": item.organizer.name, **({"url": item.organizer.url} if item.organizer.url else {})}
                      if item.organizer else {"@type": "Organization", "name": facility.name, "url": site_url}),
        "url": url,
    }
    if item.audience:
        data["audience"] = {"@type": "Audience", "audienceType": item.audience}
    if isinstance(item.fee, int):
        offer = {"@type": "Offer", "price": item.fee, "priceCurrency": "JPY", "url": url,
                 "availability": "https://schema.org/SoldOut" if occ.status == "full" else "https://schema.org/InStock"}
        if item.application.opens:
            offer["validFrom"] = iso(item.application.opens)
        data["offers"] = offer
    if item.image:
        data["image"] = [site_url + "images/" + item.image.src]
    return data


def render_jsonld(data: dict | list) -> str:
    """A ``<script type="application/ld+json">`` element; ``</`` cannot close it early."""
    text = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=False)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return f'<script type="application/ld+json">\n{text}\n</script>'
