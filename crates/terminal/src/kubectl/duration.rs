//! Ages and timestamps: `duration.HumanDuration`
//! (`staging/src/k8s.io/apimachinery/pkg/util/duration/duration.go`), the printers'
//! `translateTimestampSince`, and Go's RFC 3339 / RFC 1123Z layouts.

/// `duration.HumanDuration` of a duration in milliseconds (negative durations allowed).
pub fn human_duration(ms: i64) -> String {
    // Go converts with int(d.Seconds()), which truncates toward zero.
    let seconds = ms / 1000;
    if seconds < -1 {
        return "<invalid>".to_string();
    } else if seconds < 0 {
        return "0s".to_string();
    } else if seconds < 60 * 2 {
        return format!("{seconds}s");
    }
    let minutes = ms / 60_000;
    if minutes < 10 {
        let s = seconds % 60;
        if s == 0 {
            return format!("{minutes}m");
        }
        return format!("{minutes}m{s}s");
    } else if minutes < 60 * 3 {
        return format!("{minutes}m");
    }
    let hours = ms / 3_600_000;
    if hours < 8 {
        let m = minutes % 60;
        if m == 0 {
            return format!("{hours}h");
        }
        return format!("{hours}h{m}m");
    } else if hours < 48 {
        return format!("{hours}h");
    } else if hours < 24 * 8 {
        let h = hours % 24;
        if h == 0 {
            return format!("{}d", hours / 24);
        }
        return format!("{}d{}h", hours / 24, h);
    } else if hours < 24 * 365 * 2 {
        return format!("{}d", hours / 24);
    } else if hours < 24 * 365 * 8 {
        let dy = (hours / 24) % 365;
        if dy == 0 {
            return format!("{}y", hours / 24 / 365);
        }
        return format!("{}y{}d", hours / 24 / 365, dy);
    }
    format!("{}y", hours / 24 / 365)
}

/// Milliseconds since the Unix epoch of an RFC 3339 UTC timestamp as the lab writes them
/// (`2024-08-13T22:50:00Z`, optionally with fractional seconds or a `±hh:mm` offset).
pub fn parse_rfc3339_ms(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    if b.len() < 20 || b[4] != b'-' || b[7] != b'-' || (b[10] != b'T' && b[10] != b't') {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<i64> { s.get(r)?.parse::<i64>().ok() };
    let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
    if b[13] != b':' || b[16] != b':' {
        return None;
    }
    let (hour, minute, second) = (num(11..13)?, num(14..16)?, num(17..19)?);
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) || hour > 23 || minute > 59 {
        return None;
    }
    let mut rest = s.get(19..)?;
    let mut frac_ms = 0i64;
    if let Some(r) = rest.strip_prefix('.') {
        let digits: String = r.chars().take_while(|c| c.is_ascii_digit()).collect();
        let padded = format!("{:0<3}", digits);
        frac_ms = padded.get(0..3)?.parse().ok()?;
        rest = &r[digits.len()..];
    }
    let offset_s = match rest {
        "Z" | "z" => 0,
        o if o.len() == 6 && (o.starts_with('+') || o.starts_with('-')) => {
            let h: i64 = o.get(1..3)?.parse().ok()?;
            let m: i64 = o.get(4..6)?.parse().ok()?;
            let v = h * 3600 + m * 60;
            if o.starts_with('-') {
                -v
            } else {
                v
            }
        }
        _ => return None,
    };
    // Howard Hinnant's days_from_civil.
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    let secs = days * 86_400 + hour * 3600 + minute * 60 + second - offset_s;
    Some(secs * 1000 + frac_ms)
}

/// `translateTimestampSince`: the age of a timestamp at `now_ms`, `<unknown>` when unset.
pub fn age(timestamp: &str, now_ms: u64) -> String {
    match parse_rfc3339_ms(timestamp) {
        Some(t) => human_duration(now_ms as i64 - t),
        None => "<unknown>".to_string(),
    }
}

/// The age of an instant given in milliseconds.
pub fn age_ms(at_ms: u64, now_ms: u64) -> String {
    human_duration(now_ms as i64 - at_ms as i64)
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
const WEEKDAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

/// Go's `time.RFC1123Z` layout in UTC (`Tue, 13 Aug 2024 22:50:00 +0000`), as `describe` prints
/// `Start Time:` and `CreationTimestamp:`; empty for an unparsable timestamp.
pub fn rfc1123z(timestamp: &str) -> String {
    match parse_rfc3339_ms(timestamp) {
        Some(ms) if ms >= 0 => rfc1123z_ms(ms as u64),
        _ => String::new(),
    }
}

/// [`rfc1123z`] of an instant in milliseconds.
pub fn rfc1123z_ms(ms: u64) -> String {
    let c = svclab_sim::cluster::Civil::from_unix_ms(ms);
    format!(
        "{}, {:02} {} {:04} {:02}:{:02}:{:02} +0000",
        WEEKDAYS.get(c.weekday as usize).copied().unwrap_or("Sun"),
        c.day,
        MONTHS
            .get(c.month.saturating_sub(1) as usize)
            .copied()
            .unwrap_or("Jan"),
        c.year,
        c.hour,
        c.minute,
        c.second
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const S: i64 = 1000;
    const M: i64 = 60 * S;
    const H: i64 = 60 * M;
    const D: i64 = 24 * H;
    const Y: i64 = 365 * D;

    #[test]
    fn kubernetes_md_vectors() {
        // KUBERNETES.md §4.2 (duration_test.go) plus its boundaries.
        for (ms, want) in [
            (S, "1s"),
            (70 * S, "70s"),
            (190 * S, "3m10s"),
            (70 * M, "70m"),
            (47 * H, "47h"),
            (49 * H, "2d1h"),
            (8 * D + 2 * H, "8d"),
            (367 * D, "367d"),
            (2 * Y + 25 * H, "2y1d"),
            (8 * Y + 2 * H, "8y"),
            (2 * M - 1, "119s"),
            (2 * M, "2m"),
            (2 * M + S, "2m1s"),
            (10 * M - 1, "9m59s"),
            (10 * M + S, "10m"),
            (3 * H - 1, "179m"),
            (3 * H + M, "3h1m"),
            (8 * H + 59 * M, "8h"),
            (8 * D - 1, "7d23h"),
            (2 * Y - 1, "729d"),
            (-S, "0s"),
            (-2 * S, "<invalid>"),
        ] {
            assert_eq!(human_duration(ms), want, "{ms}");
        }
    }

    #[test]
    fn timestamps_round_trip_with_the_lab_clock() {
        let ms = svclab_sim::cluster::LAB_EPOCH_MS;
        let ts = svclab_sim::cluster::rfc3339(ms);
        assert_eq!(parse_rfc3339_ms(&ts), Some(ms as i64));
        assert_eq!(age(&ts, ms + 312_000), "5m12s");
        assert_eq!(age("", ms), "<unknown>");
        assert_eq!(rfc1123z(&ts), "Tue, 13 Aug 2024 22:50:00 +0000");
    }
}
