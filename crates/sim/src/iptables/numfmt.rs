//! Number formatting that must match C's printf byte for byte.

/// Formats `numerator / 2^shift` with `prec` decimals, rounding half to even on the exact value,
/// which is what glibc's `printf("%.Nf")` and Go's `%.Nf` do for a binary floating-point value.
pub fn fixed_pow2(numerator: u128, shift: u32, prec: u32) -> String {
    let scale = 10u128.checked_pow(prec).unwrap_or(u128::MAX);
    // Split off the integer part first so the scaled product cannot overflow for our inputs.
    let (int_part, frac_num) = if shift >= 128 {
        (0u128, numerator)
    } else {
        (numerator >> shift, numerator & ((1u128 << shift) - 1))
    };
    let (mut frac_digits, round_up) = if shift >= 128 {
        // Values this small are < 1e-30: they round to zero at any precision we use.
        (0u128, false)
    } else {
        let prod = frac_num.saturating_mul(scale);
        let q = prod >> shift;
        let r = prod & ((1u128 << shift) - 1);
        let half = if shift == 0 { 0 } else { 1u128 << (shift - 1) };
        let up = shift > 0 && (r > half || (r == half && q % 2 == 1));
        (q, up)
    };
    let mut int_part = int_part;
    if round_up {
        frac_digits += 1;
        if frac_digits >= scale {
            frac_digits -= scale;
            int_part += 1;
        }
    }
    if prec == 0 {
        return int_part.to_string();
    }
    format!(
        "{}.{:0width$}",
        int_part,
        frac_digits,
        width = prec as usize
    )
}

/// `printf("%.Nf", x)` for a finite, non-negative f64 (exact decimal expansion, ties to even).
pub fn fixed_f64(x: f64, prec: u32) -> String {
    if !x.is_finite() || x <= 0.0 {
        return fixed_pow2(0, 0, prec);
    }
    let bits = x.to_bits();
    let exp = ((bits >> 52) & 0x7ff) as i32;
    let frac = bits & ((1u64 << 52) - 1);
    let (mant, e) = if exp == 0 {
        (frac, -1074)
    } else {
        (frac | (1u64 << 52), exp - 1075)
    };
    if e >= 0 {
        // Our callers never format values >= 2^53; saturate rather than overflow.
        let v = u128::from(mant).checked_shl(e as u32).unwrap_or(u128::MAX);
        return fixed_pow2(v, 0, prec);
    }
    fixed_pow2(u128::from(mant), (-e) as u32, prec)
}

/// xtables_print_num (libxtables/xtables.c): a counter column, `%5llu ` or K/M/G/T-abbreviated
/// when `kmg`, `%8llu ` otherwise. `notable` drops the padding (used in the policy header).
pub fn print_num(number: u64, kmg: bool, notable: bool) -> String {
    if !kmg {
        return if notable {
            format!("{number} ")
        } else {
            format!("{number:>8} ")
        };
    }
    if number <= 99_999 {
        return if notable {
            format!("{number} ")
        } else {
            format!("{number:>5} ")
        };
    }
    let mut n = number;
    for suffix in ["K", "M", "G"] {
        n = n.saturating_add(500) / 1000;
        if n <= 9999 {
            return if notable {
                format!("{n}{suffix} ")
            } else {
                format!("{n:>4}{suffix} ")
            };
        }
    }
    n = n.saturating_add(500) / 1000;
    if notable {
        format!("{n}T ")
    } else {
        format!("{n:>4}T ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_matches_printf_including_ties() {
        assert_eq!(fixed_f64(1.0 / 3.0, 10), "0.3333333333");
        assert_eq!(fixed_f64(1.0 / 6.0, 10), "0.1666666667");
        assert_eq!(fixed_f64(1.0, 10), "1.0000000000");
        // 1/2048 = 0.00048828125 exactly: a tie at the 10th decimal, printf rounds to even.
        assert_eq!(fixed_f64(1.0 / 2048.0, 10), "0.0004882812");
        assert_eq!(fixed_f64(0.0, 3), "0.000");
        assert_eq!(fixed_pow2(1 << 31, 31, 11), "1.00000000000");
    }

    #[test]
    fn kilo_mega_giga_columns() {
        assert_eq!(print_num(0, true, false), "    0 ");
        assert_eq!(print_num(99_999, true, false), "99999 ");
        assert_eq!(print_num(100_000, true, false), " 100K ");
        assert_eq!(print_num(535_000, true, true), "535K ");
        assert_eq!(print_num(9_999_499, true, false), "9999K ");
        assert_eq!(print_num(9_999_500, true, false), "  10M ");
        assert_eq!(print_num(12, false, false), "      12 ");
        assert_eq!(print_num(u64::MAX, true, false), "18446744T ");
    }
}
