//! Dates as French readers read them, and as machines read them.

use jiff::{Timestamp, tz::TimeZone};
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
        let day = format!("{ordinal} {month} {}", zoned.year());
        Self {
            iso: zoned.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string(),
            display: format!("{day} à {} h {:02}", zoned.hour(), zoned.minute()),
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
        assert_eq!(winter.display, "24 novembre 2026 à 8 h 05");
        let summer = DateView::new("2026-08-01T10:00:00Z".parse().unwrap(), &tz);
        assert_eq!(summer.iso, "2026-08-01T12:00:00+02:00");
        assert_eq!(summer.day, "1er août 2026");
    }
}
