//! Dates as French readers read them, and as machines read them.

use jiff::{Timestamp, tz::TimeZone};
use rotative_domain::typography::NBSP;
use serde::Serialize;

const MONTHS: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];

/// One instant, both ways: `iso` for `<time datetime>` and JSON-LD, `display` for people.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DateView {
    pub iso: String,
    pub display: String,
    pub day: String,
}

impl DateView {
    pub fn new(at: Timestamp, tz: &TimeZone) -> Self {
        let zoned = at.to_zoned(tz.clone());
        let day_number = zoned.day();
        let ordinal = if day_number == 1 {
            "1er".to_owned()
        } else {
            day_number.to_string()
        };
        let month = MONTHS[usize::try_from(zoned.month() - 1).unwrap_or_default()];
        // No-break spaces inside the day and inside the time: a line never ends in the middle
        // of either (« 24 / novembre 2026 », « 8 h / 05 »).
        let day = format!("{ordinal}{NBSP}{month}{NBSP}{}", zoned.year());
        Self {
            iso: zoned.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string(),
            display: format!("{day} à {}{NBSP}h{NBSP}{:02}", zoned.hour(), zoned.minute()),
            day,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn french_dates_in_the_site_zone() {
        let tz = TimeZone::get("Europe/Paris").unwrap();
        let winter = DateView::new("2026-11-24T07:05:00Z".parse().unwrap(), &tz);
        assert_eq!(winter.iso, "2026-11-24T08:05:00+01:00");
        assert_eq!(
            winter.display,
            "24\u{a0}novembre\u{a0}2026 à 8\u{a0}h\u{a0}05"
        );
        let summer = DateView::new("2026-08-01T10:00:00Z".parse().unwrap(), &tz);
        assert_eq!(summer.iso, "2026-08-01T12:00:00+02:00");
        assert_eq!(summer.day, "1er\u{a0}août\u{a0}2026");
    }
}
