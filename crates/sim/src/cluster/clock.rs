//! The lab's virtual clock, and the ways real tools print its instants.
//!
//! Time only moves when the lab says so (a command runs, `sleep N`, the page's traffic), so a
//! seed and the same inputs give the same ages, timestamps and log lines, byte for byte.

/// Milliseconds since the Unix epoch where every lab starts: 2024-08-13T22:50:00Z, a few minutes
/// before the article's own `curl --head` (its `Date:` header reads Tue, 13 Aug 2024 22:54:53 GMT).
pub const LAB_EPOCH_MS: u64 = 1_723_589_400_000;

/// The virtual clock.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Clock {
    now_ms: u64,
}

impl Default for Clock {
    fn default() -> Self {
        Clock {
            now_ms: LAB_EPOCH_MS,
        }
    }
}

impl Clock {
    /// Now, in milliseconds since the Unix epoch.
    pub fn now_ms(&self) -> u64 {
        self.now_ms
    }

    /// Moves time forward; it never goes back.
    pub fn advance_ms(&mut self, ms: u64) {
        self.now_ms = self.now_ms.saturating_add(ms);
    }

    /// Moves time forward to `at_ms`, if that is later than now.
    pub fn advance_to(&mut self, at_ms: u64) {
        self.now_ms = self.now_ms.max(at_ms);
    }
}

/// A broken-down UTC instant.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Civil {
    /// e.g. 2024.
    pub year: i64,
    /// 1..=12.
    pub month: u32,
    /// 1..=31.
    pub day: u32,
    /// 0..=23.
    pub hour: u32,
    /// 0..=59.
    pub minute: u32,
    /// 0..=59.
    pub second: u32,
    /// 0 = Sunday.
    pub weekday: u32,
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
const WEEKDAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

impl Civil {
    /// The UTC calendar fields of `ms` since the Unix epoch (Howard Hinnant's civil_from_days).
    pub fn from_unix_ms(ms: u64) -> Civil {
        let secs = (ms / 1000) as i64;
        let days = secs.div_euclid(86_400);
        let rem = secs.rem_euclid(86_400);
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = yoe + era * 400 + i64::from(month <= 2);
        Civil {
            year,
            month,
            day,
            hour: (rem / 3600) as u32,
            minute: (rem % 3600 / 60) as u32,
            second: (rem % 60) as u32,
            // 1970-01-01 was a Thursday.
            weekday: (days + 4).rem_euclid(7) as u32,
        }
    }

    fn month_name(&self) -> &'static str {
        MONTHS
            .get(self.month.saturating_sub(1) as usize)
            .copied()
            .unwrap_or("Jan")
    }

    fn weekday_name(&self) -> &'static str {
        WEEKDAYS
            .get(self.weekday as usize)
            .copied()
            .unwrap_or("Sun")
    }
}

/// RFC 3339 in UTC, as the API server writes timestamps: `2024-08-13T22:50:00Z`.
pub fn rfc3339(ms: u64) -> String {
    let c = Civil::from_unix_ms(ms);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        c.year, c.month, c.day, c.hour, c.minute, c.second
    )
}

/// An HTTP date, as nginx's `Date:` header: `Tue, 13 Aug 2024 22:54:53 GMT`.
pub fn http_date(ms: u64) -> String {
    let c = Civil::from_unix_ms(ms);
    format!(
        "{}, {:02} {} {:04} {:02}:{:02}:{:02} GMT",
        c.weekday_name(),
        c.day,
        c.month_name(),
        c.year,
        c.hour,
        c.minute,
        c.second
    )
}

/// nginx's access-log time: `13/Aug/2024:22:54:53 +0000`.
pub fn nginx_log_time(ms: u64) -> String {
    let c = Civil::from_unix_ms(ms);
    format!(
        "{:02}/{}/{:04}:{:02}:{:02}:{:02} +0000",
        c.day,
        c.month_name(),
        c.year,
        c.hour,
        c.minute,
        c.second
    )
}

/// C's `ctime` without the newline, as iptables-save's header: `Tue Aug 13 22:54:53 2024`.
pub fn ctime(ms: u64) -> String {
    let c = Civil::from_unix_ms(ms);
    format!(
        "{} {} {:2} {:02}:{:02}:{:02} {}",
        c.weekday_name(),
        c.month_name(),
        c.day,
        c.hour,
        c.minute,
        c.second,
        c.year
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const ARTICLE_CURL_MS: u64 = LAB_EPOCH_MS + 293_000;

    #[test]
    fn the_lab_starts_just_before_the_articles_curl() {
        assert_eq!(rfc3339(LAB_EPOCH_MS), "2024-08-13T22:50:00Z");
        // The article's response header, from the same instant.
        assert_eq!(http_date(ARTICLE_CURL_MS), "Tue, 13 Aug 2024 22:54:53 GMT");
    }

    #[test]
    fn formats_follow_each_tool() {
        assert_eq!(
            nginx_log_time(ARTICLE_CURL_MS),
            "13/Aug/2024:22:54:53 +0000"
        );
        assert_eq!(ctime(ARTICLE_CURL_MS), "Tue Aug 13 22:54:53 2024");
        // nginx's default page Last-Modified in the article: Tue, 28 May 2024 13:22:30 GMT.
        assert_eq!(
            http_date(1_716_902_550_000),
            "Tue, 28 May 2024 13:22:30 GMT"
        );
        // ctime pads a one-digit day with a space.
        assert_eq!(ctime(0), "Thu Jan  1 00:00:00 1970");
    }

    #[test]
    fn leap_days_and_year_ends() {
        assert_eq!(rfc3339(951_782_400_000), "2000-02-29T00:00:00Z");
        assert_eq!(rfc3339(1_735_689_599_000), "2024-12-31T23:59:59Z");
    }

    #[test]
    fn the_clock_only_moves_forward() {
        let mut clock = Clock::default();
        clock.advance_ms(1500);
        clock.advance_to(LAB_EPOCH_MS);
        assert_eq!(clock.now_ms(), LAB_EPOCH_MS + 1500);
        clock.advance_ms(u64::MAX);
        assert_eq!(clock.now_ms(), u64::MAX);
    }
}
