//! What a column of the Automerge binary format declares, read from its runs without expanding
//! them.
//!
//! Most columns are run-length encoded. Each run starts with a signed LEB128 count: a positive
//! count `n` is followed by one value that repeats `n` times; a negative count `-n` by `n`
//! different values; a zero by an unsigned LEB128 number of nulls. The values of integer, actor
//! and group columns are unsigned LEB128, those of delta columns signed LEB128 (each the
//! difference from the value before). A few bytes can so declare billions of values: the counts
//! are summed here, never expanded.

/// How a column's values are written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Leb {
    /// Unsigned LEB128: integer, actor and group columns.
    Unsigned,
    /// Signed LEB128: delta columns.
    Signed,
}

/// A column's bytes are not a run-length encoding.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Malformed;

/// One run: `len` values, all equal to `value` (`None`: nulls). The values of a run of
/// different values come one by one, as runs of one. Values are widened so that unsigned and
/// signed columns both fit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Run {
    pub(super) len: u64,
    pub(super) value: Option<i128>,
}

/// The runs of a column, in order.
pub(super) struct Runs<'a> {
    rest: &'a [u8],
    leb: Leb,
    /// Values still to come of a run of different values.
    literals: u64,
}

impl<'a> Runs<'a> {
    pub(super) fn new(column: &'a [u8], leb: Leb) -> Self {
        Runs {
            rest: column,
            leb,
            literals: 0,
        }
    }

    fn value(&mut self) -> Result<i128, Malformed> {
        match self.leb {
            Leb::Unsigned => uleb(&mut self.rest).map(i128::from),
            Leb::Signed => sleb(&mut self.rest).map(i128::from),
        }
    }

    fn next_run(&mut self) -> Result<Run, Malformed> {
        if self.literals > 0 {
            self.literals -= 1;
            let value = self.value()?;
            return Ok(Run {
                len: 1,
                value: Some(value),
            });
        }
        let count = sleb(&mut self.rest)?;
        if count > 0 {
            let value = self.value()?;
            Ok(Run {
                len: count.unsigned_abs(),
                value: Some(value),
            })
        } else if count < 0 {
            self.literals = count.unsigned_abs();
            self.next_run()
        } else {
            Ok(Run {
                len: uleb(&mut self.rest)?,
                value: None,
            })
        }
    }
}

impl Iterator for Runs<'_> {
    type Item = Result<Run, Malformed>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.rest.is_empty() && self.literals == 0 {
            return None;
        }
        Some(self.next_run())
    }
}

/// How many values a run-length encoded column declares (saturating at `u64::MAX`).
pub(super) fn len(column: &[u8], leb: Leb) -> Result<u64, Malformed> {
    Runs::new(column, leb).try_fold(0u64, |sum, run| Ok(sum.saturating_add(run?.len)))
}

/// The sum of the values of an unsigned column (saturating at `u64::MAX`): for a group column,
/// how many values its group declares in the columns it counts for.
pub(super) fn sum(column: &[u8]) -> Result<u64, Malformed> {
    Runs::new(column, Leb::Unsigned).try_fold(0u64, |sum, run| {
        let run = run?;
        let value = u64::try_from(run.value.unwrap_or(0)).map_err(|_| Malformed)?;
        Ok(sum.saturating_add(run.len.saturating_mul(value)))
    })
}

/// The lowest and highest values of a delta column, whose values are the running sum of its
/// deltas from 0; `None` if it holds no value. Nulls leave the running value as it was.
pub(super) fn delta_range(column: &[u8]) -> Result<Option<(i128, i128)>, Malformed> {
    let mut value = 0i128;
    let mut range: Option<(i128, i128)> = None;
    for run in Runs::new(column, Leb::Signed) {
        let Run { len, value: delta } = run?;
        let Some(delta) = delta else { continue };
        if len == 0 {
            continue;
        }
        // Along a run the value moves one way: it is lowest and highest at its ends.
        let first = value + delta;
        value += i128::from(len) * delta;
        let (low, high) = (first.min(value), first.max(value));
        range = Some(match range {
            Some((min, max)) => (min.min(low), max.max(high)),
            None => (low, high),
        });
    }
    Ok(range)
}

/// Reads an unsigned LEB128 number of at most 64 bits.
pub(super) fn uleb(rest: &mut &[u8]) -> Result<u64, Malformed> {
    super::leb128(rest).ok_or(Malformed)
}

/// Reads a signed LEB128 number of at most 64 bits (the tenth byte may only be 0 or 0x7f, as
/// Automerge's decoder requires).
pub(super) fn sleb(rest: &mut &[u8]) -> Result<i64, Malformed> {
    let mut value = 0i64;
    for shift in (0..64).step_by(7) {
        let (&byte, tail) = rest.split_first().ok_or(Malformed)?;
        *rest = tail;
        if shift == 63 && byte != 0 && byte != 0x7f {
            return Err(Malformed);
        }
        value |= i64::from(byte & 0x7f) << shift;
        if byte & 0x80 == 0 {
            if shift < 57 && byte & 0x40 != 0 {
                value |= -1i64 << (shift + 7);
            }
            return Ok(value);
        }
    }
    Err(Malformed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sleb_bytes(mut v: i64) -> Vec<u8> {
        let mut out = Vec::new();
        loop {
            let byte = (v & 0x7f) as u8;
            v >>= 7;
            let done = (v == 0 && byte & 0x40 == 0) || (v == -1 && byte & 0x40 != 0);
            out.push(if done { byte } else { byte | 0x80 });
            if done {
                return out;
            }
        }
    }

    fn uleb_bytes(mut v: u64) -> Vec<u8> {
        let mut out = Vec::new();
        loop {
            let byte = (v & 0x7f) as u8;
            v >>= 7;
            if v == 0 {
                out.push(byte);
                return out;
            }
            out.push(byte | 0x80);
        }
    }

    #[test]
    fn signed_leb128_reads_back() {
        for v in [0, 1, -1, 63, 64, -64, -65, 1 << 40, i64::MIN, i64::MAX] {
            let bytes = sleb_bytes(v);
            let mut rest = bytes.as_slice();
            assert_eq!(sleb(&mut rest), Ok(v), "{v}");
            assert!(rest.is_empty());
        }
        assert_eq!(sleb(&mut &[0x80u8; 11][..]), Err(Malformed));
        assert_eq!(sleb(&mut &[0x80u8][..]), Err(Malformed));
        // A tenth byte with bits that do not fit: Automerge refuses it, so do we.
        let mut wide = vec![0xffu8; 9];
        wide.push(0x01);
        assert_eq!(sleb(&mut wide.as_slice()), Err(Malformed));
    }

    #[test]
    fn unsigned_leb128_that_does_not_fit_is_malformed() {
        let mut max = vec![0xffu8; 9];
        max.push(0x01);
        assert_eq!(uleb(&mut max.as_slice()), Ok(u64::MAX));
        let mut wide = vec![0xffu8; 9];
        wide.push(0x02);
        assert_eq!(uleb(&mut wide.as_slice()), Err(Malformed));
    }

    #[test]
    fn repeats_literals_and_nulls_are_counted() {
        // 5 × 7, then the three values 1 2 3, then 4 nulls.
        let mut column = sleb_bytes(5);
        column.extend(uleb_bytes(7));
        column.extend(sleb_bytes(-3));
        column.extend([1, 2, 3]);
        column.extend(sleb_bytes(0));
        column.extend(uleb_bytes(4));
        assert_eq!(len(&column, Leb::Unsigned), Ok(12));
        assert_eq!(sum(&column), Ok(35 + 6));
        assert_eq!(len(&[], Leb::Unsigned), Ok(0));
    }

    #[test]
    fn a_run_of_billions_costs_a_few_bytes_to_count() {
        let mut column = sleb_bytes(i64::MAX);
        column.extend(uleb_bytes(1));
        column.extend(sleb_bytes(i64::MAX));
        column.extend(uleb_bytes(5));
        assert_eq!(len(&column, Leb::Unsigned), Ok(u64::MAX - 1));
        assert_eq!(sum(&column), Ok(u64::MAX), "saturates");
        column.extend(sleb_bytes(2));
        column.extend(uleb_bytes(0));
        assert_eq!(len(&column, Leb::Unsigned), Ok(u64::MAX), "saturates");
        let mut nulls = sleb_bytes(0);
        nulls.extend(uleb_bytes(u64::MAX));
        assert_eq!(len(&nulls, Leb::Unsigned), Ok(u64::MAX));
    }

    #[test]
    fn delta_columns_give_their_lowest_and_highest_values() {
        // 10 × +3 (3 … 30), then -5, -5 (25, 20), nulls, then 1 × +100 (120).
        let mut column = sleb_bytes(10);
        column.extend(sleb_bytes(3));
        column.extend(sleb_bytes(-2));
        column.extend(sleb_bytes(-5));
        column.extend(sleb_bytes(-5));
        column.extend(sleb_bytes(0));
        column.extend(uleb_bytes(2));
        assert_eq!(delta_range(&column), Ok(Some((3, 30))));
        column.extend(sleb_bytes(1));
        column.extend(sleb_bytes(100));
        assert_eq!(delta_range(&column), Ok(Some((3, 120))));
        assert_eq!(len(&column, Leb::Signed), Ok(15));
        // A run going down is highest at its first value, lowest at its last.
        let mut down = sleb_bytes(1);
        down.extend(sleb_bytes(50));
        down.extend(sleb_bytes(4));
        down.extend(sleb_bytes(-20));
        assert_eq!(delta_range(&down), Ok(Some((-30, 50))));
        assert_eq!(delta_range(&[]), Ok(None));
        // Billions of steps do not overflow.
        let mut far = sleb_bytes(i64::MAX);
        far.extend(sleb_bytes(i64::MAX));
        assert_eq!(
            delta_range(&far),
            Ok(Some((
                i128::from(i64::MAX),
                i128::from(i64::MAX) * i128::from(i64::MAX)
            )))
        );
    }

    #[test]
    fn cut_columns_are_malformed() {
        let mut literal = sleb_bytes(-3);
        literal.extend([1, 2]);
        assert_eq!(len(&literal, Leb::Unsigned), Err(Malformed));
        assert_eq!(len(&sleb_bytes(5), Leb::Unsigned), Err(Malformed));
        assert_eq!(len(&[0x80], Leb::Unsigned), Err(Malformed));
    }
}
