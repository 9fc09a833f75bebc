"""schema.org Event JSON-LD, built from the same data as the visible page.

What Google's Event guidelines ask for, from known facts only: the name, dates, status (a cancelled
or postponed event offers nothing "in stock"; a session moved to another day is rescheduled and
keeps its previous start date), the place with its address split as Japanese addresses are written
(prefecture, municipality, the rest; a postal code only when written), the organizer with its
address on the web, the price (0 for free, the one amount in yen a fee text names), a plain-text
description and an image (the event's, else the site's share image). The template prints the data
with Jinja's ``tojson``, which escapes what could end the script element.
"""

from __future__ import annotations

import re
import unicodedata

from generator.model.plan import Facility
from generator.rules.dates import iso
from generator.rules.series import Occurrence

STATUS = {
    "scheduled": "https://schema.org/EventScheduled",
    "full": "https://schema.org/EventScheduled",
    "cancelled": "https://schema.org/EventCancelled",
    "postponed": "https://schema.org/EventPostponed",
}
RESCHEDULED = "https://schema.org/EventRescheduled"
AVAILABILITY = {"scheduled": "https://schema.org/InStock", "full": "https://schema.org/SoldOut"}
DEFAULT_IMAGE = "assets/og-default.png"  # the site's share image (generator/assets)

# Japanese addresses: [〒postal] [prefecture] municipality (a city and its ward, a district and its town or
# village, or a Tokyo ward) and the rest. Only a written prefecture is used, or the one a designated city
# is in (the facility's address is written without it).
_ADDRESS = re.compile(
    r"(?:〒\s*(?P<postal>\d{3}-\d{4})\s*)?"
    r"(?P<region>東京都|北海道|(?:京都|大阪)府|[^\s\d]{2,3}県)?"
    r"(?P<locality>[^\s\d]+?市(?:[^\s\d]+?区)?|[^\s\d]+?郡[^\s\d]+?[町村]|[^\s\d]+?区|[^\s\d]+?[町村])"
    r"\s*(?P<street>\S.*)"
)
_REGION_OF_CITY = {"横浜市": "神奈川県", "川崎市": "神奈川県", "相模原市": "神奈川県"}


def postal_address(address: str, postal_code: str = "") -> dict:
    """A PostalAddress from an address as staff write it; unknown parts stay absent."""
    text = unicodedata.normalize("NFKC", address).strip().replace("－", "-")
    data: dict = {"@type": "PostalAddress"}
    match = _ADDRESS.fullmatch(text)
    if match:
        city = re.match(r"[^\s\d]+?市", match.group("locality"))
        region = match.group("region") or (_REGION_OF_CITY.get(city.group()) if city else None)
        if region:
            data["addressRegion"] = region
        data["addressLocality"] = match.group("locality")
        data["streetAddress"] = match.group("street")
        postal_code = postal_code or (match.group("postal") or "")
    else:
        data["streetAddress"] = text
    if postal_code:
        data["postalCode"] = postal_code
    data["addressCountry"] = "JP"
    return data


def _place(occ: Occurrence, facility: Facility, site_url: str) -> dict:
    venue = occ.item.venue
    if venue.address:
        place = {"@type": "Place", "name": venue.name, "address": postal_address(venue.address)}
        if venue.url:
            place["url"] = venue.url
        return place
    return {
        "@type": "Place",
        "name": f"{facility.name} {venue.name}",
        "address": postal_address(facility.address, facility.postal_code),
        "url": f"{site_url}facility/",
    }


def price_of(fee: int | str) -> int | None:
    """The price in yen: the fee itself, 0 for 無料, or the one amount a fee text names (資料代 300円);
    None when the text names none or several."""
    if isinstance(fee, int):
        return fee
    text = unicodedata.normalize("NFKC", fee)
    amounts = {int(a.replace(",", "")) for a in re.findall(r"([0-9][0-9,]*)\s*円", text)}
    if len(amounts) == 1:
        return amounts.pop()
    return 0 if not amounts and re.fullmatch(r"\s*無料\s*", text) else None


def _offer(occ: Occurrence, url: str) -> dict:
    item = occ.item
    offer: dict = {"@type": "Offer", "url": url}
    price = price_of(item.fee)
    if price is not None:
        offer.update(price=price, priceCurrency="JPY")
    if isinstance(item.fee, str):
        offer["description"] = item.fee
    if occ.status in AVAILABILITY:
        offer["availability"] = AVAILABILITY[occ.status]
    if item.application.opens:
        offer["validFrom"] = iso(item.application.opens)
    return offer


def event_data(occ: Occurrence, url: str, facility: Facility, site_url: str, description: str) -> dict:
    """One occurrence as a schema.org Event; ``description`` is plain text (``plaintext.summary``)."""
    item = occ.item
    moved = occ.date != occ.original_date or (occ.start != item.start and item.start is not None)
    data: dict = {
        "@context": "https://schema.org",
        "@type": "EducationEvent" if item.program else "Event",
        "name": item.title,
        "description": description,
        "startDate": iso(occ.date, occ.start),
        "endDate": iso(occ.end_date, occ.end) if occ.end or occ.end_date != occ.date else iso(occ.end_date, occ.start),
        "eventStatus": RESCHEDULED if moved and occ.status in ("scheduled", "full") else STATUS[occ.status],
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
        "location": _place(occ, facility, site_url),
        "organizer": (
            {"@type": "Organization", "name": item.organizer.name, **({"url": item.organizer.url} if item.organizer.url else {})}
            if item.organizer
            else {"@type": "Organization", "name": facility.name, "url": site_url}
        ),
        "image": [site_url + ("images/" + item.image.src if item.image else DEFAULT_IMAGE)],
        "url": url,
    }
    if moved:
        data["previousStartDate"] = iso(occ.original_date, item.start)
    if item.audience:
        data["audience"] = {"@type": "Audience", "audienceType": item.audience}
    if price_of(item.fee) == 0:
        data["isAccessibleForFree"] = True
    data["offers"] = _offer(occ, url)
    return data
