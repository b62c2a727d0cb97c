//! Times as people type them (the newsroom's schedule field, the search's date filters, a
//! WordPress export's local dates), read in the site's time zone.

use jiff::{
    Timestamp,
    civil::{Date, DateTime},
    tz::TimeZone,
};

/// A date and time typed as `2026-11-30T08:00` (or with a space, `2026-11-30 08:00:00`), in
/// `zone`. Around daylight-saving changes, a time the spring change skips moves forward by the
/// gap (02:30 is 03:30), and a time the autumn change repeats is its first occurrence.
pub fn local_time(zone: &TimeZone, typed: &str) -> Option<Timestamp> {
    let civil: DateTime = typed.trim().replacen(' ', "T", 1).parse().ok()?;
    civil
        .to_zoned(zone.clone())
        .ok()
        .map(|zoned| zoned.timestamp())
}

/// A time as a `datetime-local` field shows it, in `zone`, to the minute: what
/// [`local_time`] reads back.
pub fn local_input(at: Timestamp, zone: &TimeZone) -> String {
    at.to_zoned(zone.clone())
        .strftime("%Y-%m-%dT%H:%M")
        .to_string()
}

/// The first instant of a day typed as `2026-11-30`, in `zone`.
pub fn day_start(zone: &TimeZone, typed: &str) -> Option<Timestamp> {
    let date: Date = typed.trim().parse().ok()?;
    date.to_zoned(zone.clone())
        .ok()
        .map(|zoned| zoned.timestamp())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_read_in_the_zone_across_daylight_saving() {
        let paris = TimeZone::get("Europe/Paris").unwrap();
        let cases = [
            ("2026-12-01T08:00", "2026-12-01T07:00:00Z"),
            ("2026-07-01T08:00", "2026-07-01T06:00:00Z"),
            ("2026-03-29T02:30", "2026-03-29T01:30:00Z"),
            ("2026-10-25T02:30", "2026-10-25T00:30:00Z"),
            ("2026-11-30T08:00:30", "2026-11-30T07:00:30Z"),
            ("2026-11-30 08:00:30", "2026-11-30T07:00:30Z"),
        ];
        for (typed, utc) in cases {
            assert_eq!(
                local_time(&paris, typed).unwrap().to_string(),
                utc,
                "{typed}"
            );
        }
        assert_eq!(local_time(&paris, "demain matin"), None);
        let summer = local_time(&paris, "2026-07-01T08:00").unwrap();
        assert_eq!(local_input(summer, &paris), "2026-07-01T08:00");
        assert_eq!(
            day_start(&paris, "2026-03-29").unwrap().to_string(),
            "2026-03-28T23:00:00Z"
        );
        assert_eq!(day_start(&paris, "29/03/2026"), None);
    }
}
