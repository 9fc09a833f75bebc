"""Files others parse, as bytes or text: iCalendar, RSS/Atom, the newsletter (text, HTML, .eml) and its
web archive, the year's report, social drafts, and the gate that checks they can be made. No HTML builder."""
