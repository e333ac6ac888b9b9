//! Resource quantities (`k8s.io/apimachinery/pkg/api/resource`, quantity.go): `500m` CPU,
//! `128Mi` memory. A quantity is read as `ParseQuantity` reads it and printed in its canonical
//! form (`CanonicalizeBytes`), so `0.5` comes back as `500m`, `1024Mi` as `1Gi` and `1000` as
//! `1k`, as `kubectl get -o yaml` shows them after the API server stored them.
//!
//! The value is kept in nano-units (the finest precision a quantity has; `ParseQuantity`
//! rounds anything finer up). Values beyond ±10^20 units are refused rather than kept in
//! arbitrary precision as apimachinery's `inf.Dec` would.

use std::cmp::Ordering;
use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// How a quantity was written, which decides how it is printed (`resource.Format`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QuantityFormat {
    /// `k`, `M`, `m`, … or no suffix.
    DecimalSI,
    /// `Ki`, `Mi`, `Gi`, …
    BinarySI,
    /// `1e3`.
    DecimalExponent,
}

/// A parsed quantity.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Quantity {
    nanos: i128,
    format: QuantityFormat,
}

const NANOS_PER_UNIT: i128 = 1_000_000_000;
/// The largest magnitude kept, in nano-units (10^20 units).
const LIMIT: i128 = 100_000_000_000_000_000_000 * NANOS_PER_UNIT;

/// quantity.go `ErrFormatWrong`.
pub const ERR_FORMAT_WRONG: &str =
    "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

impl Quantity {
    /// The zero quantity (`resource.Quantity{}`, printed `0`).
    pub const ZERO: Quantity = Quantity {
        nanos: 0,
        format: QuantityFormat::DecimalSI,
    };

    /// `ParseQuantity`: a signed decimal number and a suffix (decimal SI, binary SI or an
    /// exponent).
    pub fn parse(s: &str) -> Result<Quantity, &'static str> {
        let (negative, rest) = match s.as_bytes().first() {
            Some(b'-') => (true, &s[1..]),
            Some(b'+') => (false, &s[1..]),
            _ => (false, s),
        };
        let number_end = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let (number, suffix) = rest.split_at(number_end);
        let (whole, fraction) = number.split_once('.').unwrap_or((number, ""));
        if whole.is_empty() && fraction.is_empty() || fraction.contains('.') {
            return Err(ERR_FORMAT_WRONG);
        }
        let (format, base, exponent) = interpret(suffix).ok_or(ERR_FORMAT_WRONG)?;
        // The digits as an integer, and the power of ten that scales them to nano-units.
        let digits = format!("{whole}{fraction}");
        let digits = digits.trim_start_matches('0');
        if digits.len() > 30 {
            return Err(ERR_FORMAT_WRONG);
        }
        let mantissa: i128 = if digits.is_empty() {
            0
        } else {
            digits.parse().map_err(|_| ERR_FORMAT_WRONG)?
        };
        let mut power10 = 9 - fraction.len() as i32;
        let mut times2 = 0;
        if base == 10 {
            power10 += exponent;
        } else {
            times2 = exponent;
        }
        let nanos = scale(mantissa, power10, times2).ok_or(ERR_FORMAT_WRONG)?;
        Ok(Quantity {
            nanos: if negative { -nanos } else { nanos },
            format,
        })
    }

    /// The value in thousandths, rounded up (`MilliValue`).
    pub fn milli_value(&self) -> i128 {
        ceil_div(self.nanos, 1_000_000)
    }

    /// The value in units, rounded up (`Value`).
    pub fn value(&self) -> i128 {
        ceil_div(self.nanos, NANOS_PER_UNIT)
    }

    /// Whether the quantity is zero.
    pub fn is_zero(&self) -> bool {
        self.nanos == 0
    }

    /// `Add`: the sum, in this quantity's format.
    pub fn add(&self, other: &Quantity) -> Quantity {
        Quantity {
            nanos: self.nanos.saturating_add(other.nanos),
            format: self.format,
        }
    }

    /// `CanonicalizeBytes`: the printed form.
    pub fn canonical(&self) -> String {
        if self.nanos == 0 {
            return "0".into();
        }
        let sign = if self.nanos < 0 { "-" } else { "" };
        let magnitude = self.nanos.abs();
        let whole_units = magnitude % NANOS_PER_UNIT == 0;
        let binary = self.format == QuantityFormat::BinarySI
            && magnitude >= 1024 * NANOS_PER_UNIT
            && whole_units;
        if binary {
            let (mut amount, mut steps) = (magnitude / NANOS_PER_UNIT, 0);
            while amount % 1024 == 0 && steps < 6 {
                amount /= 1024;
                steps += 1;
            }
            let suffix = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"][steps];
            return format!("{sign}{amount}{suffix}");
        }
        // AsCanonicalBytes: drop trailing zeros, then bring the exponent down to a multiple
        // of three.
        let (mut amount, mut exponent) = (magnitude, -9_i32);
        while amount % 10 == 0 {
            amount /= 10;
            exponent += 1;
        }
        while exponent.rem_euclid(3) != 0 {
            amount *= 10;
            exponent -= 1;
        }
        let suffix = match self.format {
            QuantityFormat::DecimalExponent if exponent == 0 => String::new(),
            QuantityFormat::DecimalExponent => format!("e{exponent}"),
            _ => match exponent {
                -9 => "n".into(),
                -6 => "u".into(),
                -3 => "m".into(),
                0 => String::new(),
                3 => "k".into(),
                6 => "M".into(),
                9 => "G".into(),
                12 => "T".into(),
                15 => "P".into(),
                18 => "E".into(),
                e => format!("e{e}"),
            },
        };
        format!("{sign}{amount}{suffix}")
    }
}

impl PartialOrd for Quantity {
    fn partial_cmp(&self, other: &Quantity) -> Option<Ordering> {
        Some(self.nanos.cmp(&other.nanos))
    }
}

/// suffix.go `interpret`: the format, base and exponent a suffix stands for.
fn interpret(suffix: &str) -> Option<(QuantityFormat, i32, i32)> {
    let decimal = |e| Some((QuantityFormat::DecimalSI, 10, e));
    let binary = |e| Some((QuantityFormat::BinarySI, 2, e));
    match suffix {
        "n" => decimal(-9),
        "u" => decimal(-6),
        "m" => decimal(-3),
        "" => decimal(0),
        "k" => decimal(3),
        "M" => decimal(6),
        "G" => decimal(9),
        "T" => decimal(12),
        "P" => decimal(15),
        "E" => decimal(18),
        "Ki" => binary(10),
        "Mi" => binary(20),
        "Gi" => binary(30),
        "Ti" => binary(40),
        "Pi" => binary(50),
        "Ei" => binary(60),
        _ => {
            let digits = suffix.strip_prefix(['e', 'E'])?;
            let unsigned = digits.strip_prefix(['+', '-']).unwrap_or(digits);
            if unsigned.is_empty() || !unsigned.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            let e: i32 = digits.parse().ok()?;
            (-40..=40)
                .contains(&e)
                .then_some((QuantityFormat::DecimalExponent, 10, e))
        }
    }
}

/// `mantissa × 10^power10 × 2^times2`, rounded up to a whole nano-unit, within [`LIMIT`].
fn scale(mantissa: i128, power10: i32, times2: i32) -> Option<i128> {
    let mut value = mantissa.checked_mul(1_i128.checked_shl(times2 as u32)?)?;
    if power10 >= 0 {
        value = value.checked_mul(10_i128.checked_pow(power10 as u32)?)?;
    } else {
        let divisor = 10_i128.checked_pow(power10.unsigned_abs())?;
        value = ceil_div(value, divisor);
    }
    (value <= LIMIT).then_some(value)
}

/// Division rounding away from zero (inf.RoundUp).
fn ceil_div(value: i128, divisor: i128) -> i128 {
    let q = value / divisor;
    if value % divisor == 0 {
        q
    } else if value > 0 {
        q + 1
    } else {
        q - 1
    }
}

impl fmt::Display for Quantity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.canonical())
    }
}

impl Serialize for Quantity {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.canonical())
    }
}

impl<'de> Deserialize<'de> for Quantity {
    /// A string, or a bare number (JSON `1` and `0.5` are quantities too).
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Quantity, D::Error> {
        struct Text;
        impl serde::de::Visitor<'_> for Text {
            type Value = String;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a quantity")
            }
            fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<String, E> {
                Ok(s.to_owned())
            }
            fn visit_i64<E: serde::de::Error>(self, n: i64) -> Result<String, E> {
                Ok(n.to_string())
            }
            fn visit_u64<E: serde::de::Error>(self, n: u64) -> Result<String, E> {
                Ok(n.to_string())
            }
            fn visit_f64<E: serde::de::Error>(self, x: f64) -> Result<String, E> {
                Ok(x.to_string())
            }
        }
        let text = d.deserialize_any(Text)?;
        Quantity::parse(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn canonical(s: &str) -> String {
        Quantity::parse(s)
            .map(|q| q.canonical())
            .unwrap_or_else(|e| e.into())
    }

    #[test]
    fn quantities_print_in_the_api_servers_canonical_form() {
        for (input, printed) in [
            ("0", "0"),
            ("0.5", "500m"),
            ("1.5", "1500m"),
            ("100m", "100m"),
            ("1000m", "1"),
            ("1000", "1k"),
            ("1500", "1500"),
            ("2", "2"),
            ("0.0001", "100u"),
            ("1.5n", "2n"),
            ("128Mi", "128Mi"),
            ("1024Mi", "1Gi"),
            ("1.5Gi", "1536Mi"),
            ("0.5Gi", "512Mi"),
            ("1.5Ki", "1536"),
            ("512Ki", "512Ki"),
            ("100M", "100M"),
            ("1G", "1G"),
            ("1e3", "1e3"),
            ("1.5e3", "1500"),
            ("12e6", "12e6"),
            ("-1", "-1"),
            ("+250m", "250m"),
            ("1.", "1"),
            (".5", "500m"),
        ] {
            assert_eq!(canonical(input), printed, "{input}");
        }
    }

    #[test]
    fn malformed_quantities_are_refused() {
        for bad in ["", "abc", "1x", "1.2.3", "Mi", "1e", "1e+", "1Kib", "1e999"] {
            assert!(Quantity::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn values_round_up_and_sums_keep_the_first_format() {
        let cpu = Quantity::parse("250m").unwrap_or(Quantity::ZERO);
        assert_eq!(cpu.milli_value(), 250);
        assert_eq!(cpu.value(), 1);
        let mem = Quantity::parse("70Mi").unwrap_or(Quantity::ZERO);
        let more = Quantity::parse("100Mi").unwrap_or(Quantity::ZERO);
        assert_eq!(mem.add(&more).canonical(), "170Mi");
        assert!(mem < more);
    }
}
