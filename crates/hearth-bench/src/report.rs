//! The results: one row per figure with its baseline, ratio and target, printed as a Markdown
//! table (so a run can go straight into docs/benchmarks.md) and written as JSON.

use std::fmt::Write as _;

use serde::Serialize;

use crate::measure::{Samples, Summary};

/// The unit a row's numbers are in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    Ms,
    Bytes,
    Kib,
}

/// What a figure must achieve.
#[derive(Clone, Copy, Debug, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Target {
    /// Median over the baseline's median at most `max`.
    Ratio { max: f64 },
    /// Median at most `rtt_factor` × the baseline's median + `plus_ms`, and p99 at most
    /// `p99_max_ms`.
    Latency {
        rtt_factor: f64,
        plus_ms: f64,
        p99_max_ms: f64,
    },
    /// Median at most `max` in the row's unit.
    Max { max: f64 },
    /// Reported, no target.
    Report,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Met,
    Missed,
    Reported,
}

#[derive(Clone, Debug, Serialize)]
pub struct Baseline {
    pub what: String,
    pub value: Summary,
}

/// One figure of the table.
#[derive(Clone, Debug, Serialize)]
pub struct Row {
    pub id: &'static str,
    pub figure: String,
    pub unit: Unit,
    pub value: Summary,
    /// Whether the tail is part of the figure (shown in the table).
    pub tail: bool,
    pub baseline: Option<Baseline>,
    pub ratio: Option<f64>,
    pub target: Target,
    pub verdict: Verdict,
    pub notes: Vec<String>,
}

impl Row {
    pub fn new(id: &'static str, figure: impl Into<String>, unit: Unit, value: &Samples) -> Self {
        Row {
            id,
            figure: figure.into(),
            unit,
            value: value.summary(),
            tail: false,
            baseline: None,
            ratio: None,
            target: Target::Report,
            verdict: Verdict::Reported,
            notes: Vec::new(),
        }
    }

    pub fn baseline(mut self, what: impl Into<String>, value: &Samples) -> Self {
        let value = value.summary();
        self.ratio = Some(self.value.median / value.median);
        self.baseline = Some(Baseline {
            what: what.into(),
            value,
        });
        self.judge()
    }

    pub fn target(mut self, target: Target) -> Self {
        self.target = target;
        self.judge()
    }

    /// Shows the 99th percentile beside the median.
    pub fn tail(mut self) -> Self {
        self.tail = true;
        self
    }

    pub fn note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(note.into());
        self
    }

    fn judge(mut self) -> Self {
        let baseline = self.baseline.as_ref().map(|b| b.value.median);
        let met = match (self.target, baseline, self.ratio) {
            (Target::Report, _, _) => None,
            (Target::Ratio { max }, _, Some(ratio)) => Some(ratio <= max),
            (
                Target::Latency {
                    rtt_factor,
                    plus_ms,
                    p99_max_ms,
                },
                Some(rtt),
                _,
            ) => Some(
                self.value.median <= rtt_factor * rtt + plus_ms && self.value.p99 <= p99_max_ms,
            ),
            (Target::Max { max }, _, _) => Some(self.value.median <= max),
            _ => None,
        };
        self.verdict = match met {
            None => Verdict::Reported,
            Some(true) => Verdict::Met,
            Some(false) => Verdict::Missed,
        };
        self
    }
}

/// Everything a run measured, and on what.
#[derive(Debug, Serialize)]
pub struct Report {
    pub entries: usize,
    pub small_entries: usize,
    pub runs: usize,
    pub quick: bool,
    pub seed: u64,
    pub profile: &'static str,
    pub machine: Machine,
    /// The machine's load averages (1, 5, 15 minutes) when the run started and ended: other
    /// programs' work shows in every wall-clock figure.
    pub load_at_start: String,
    pub load_at_end: String,
    pub journal: JournalShape,
    pub rows: Vec<Row>,
}

/// The machine the run was on.
#[derive(Debug, Serialize)]
pub struct Machine {
    pub cores: usize,
    pub cpu: String,
    pub kernel: String,
}

impl Machine {
    pub fn this() -> Self {
        let cpu = std::fs::read_to_string("/proc/cpuinfo")
            .ok()
            .and_then(|info| {
                info.lines()
                    .find(|l| l.starts_with("model name"))
                    .and_then(|l| l.split(':').nth(1))
                    .map(|s| s.trim().to_owned())
            })
            .unwrap_or_else(|| "unknown".to_owned());
        let kernel = std::fs::read_to_string("/proc/sys/kernel/osrelease")
            .map(|s| s.trim().to_owned())
            .unwrap_or_else(|_| std::env::consts::OS.to_owned());
        Machine {
            cores: std::thread::available_parallelism().map_or(1, usize::from),
            cpu,
            kernel,
        }
    }
}

/// The machine's load averages now, as the kernel reports them.
pub fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".to_owned())
}

/// The large generated journal, for the reader to judge how realistic it is.
#[derive(Clone, Debug, Default, Serialize)]
pub struct JournalShape {
    pub entries: usize,
    pub changes: usize,
    pub text_bytes: usize,
    pub saved_bytes: usize,
}

fn number(value: f64, unit: Unit) -> String {
    if value.is_nan() {
        return "–".to_owned();
    }
    match unit {
        Unit::Ms if value >= 1_000.0 => format!("{:.2} s", value / 1_000.0),
        Unit::Ms if value >= 100.0 => format!("{value:.0} ms"),
        Unit::Ms if value >= 10.0 => format!("{value:.1} ms"),
        Unit::Ms if value >= 1.0 => format!("{value:.2} ms"),
        Unit::Ms => format!("{value:.3} ms"),
        Unit::Bytes | Unit::Kib => {
            let bytes = if unit == Unit::Kib {
                value * 1024.0
            } else {
                value
            };
            if bytes >= 1024.0 * 1024.0 {
                format!("{:.1} MiB", bytes / (1024.0 * 1024.0))
            } else if bytes >= 1024.0 {
                format!("{:.1} KiB", bytes / 1024.0)
            } else {
                format!("{bytes:.0} B")
            }
        }
    }
}

fn target_text(target: Target) -> String {
    match target {
        Target::Ratio { max } => format!("≤ {max}×"),
        Target::Latency {
            rtt_factor,
            plus_ms,
            p99_max_ms,
        } => format!("median ≤ {rtt_factor}× RTT + {plus_ms} ms; p99 ≤ {p99_max_ms} ms"),
        Target::Max { max } => format!("≤ {max} ms"),
        Target::Report => "report".to_owned(),
    }
}

fn verdict_text(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::Met => "met",
        Verdict::Missed => "**missed**",
        Verdict::Reported => "",
    }
}

impl Report {
    /// The table and, under it, what each baseline is and the notes.
    pub fn markdown(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "{} entries (small journal {}), {} run(s), seed {}, {} build; {} core(s), {}, Linux {}",
            self.entries,
            self.small_entries,
            self.runs,
            self.seed,
            self.profile,
            self.machine.cores,
            self.machine.cpu,
            self.machine.kernel
        );
        let _ = writeln!(
            out,
            "load average at start {}, at end {}",
            self.load_at_start, self.load_at_end
        );
        let j = &self.journal;
        let _ = writeln!(
            out,
            "journal: {} entries in {} changes, {} of text, saved as {}",
            j.entries,
            j.changes,
            number(j.text_bytes as f64, Unit::Bytes),
            number(j.saved_bytes as f64, Unit::Bytes)
        );
        out.push('\n');
        out.push_str("| figure | median | p99 | baseline (median) | ratio | target | |\n");
        out.push_str("| --- | ---: | ---: | ---: | ---: | --- | --- |\n");
        for row in &self.rows {
            let p99 = if row.tail {
                number(row.value.p99, row.unit)
            } else {
                String::new()
            };
            let baseline = row
                .baseline
                .as_ref()
                .map(|b| number(b.value.median, row.unit))
                .unwrap_or_else(|| "—".to_owned());
            let ratio = row
                .ratio
                .map(|r| format!("{r:.2}×"))
                .unwrap_or_else(|| "—".to_owned());
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} | {} |",
                row.figure,
                number(row.value.median, row.unit),
                p99,
                baseline,
                ratio,
                target_text(row.target),
                verdict_text(row.verdict)
            );
        }
        out.push('\n');
        for row in &self.rows {
            if let Some(b) = &row.baseline {
                let _ = writeln!(out, "- {}: baseline = {}", row.figure, b.what);
            }
            for note in &row.notes {
                let _ = writeln!(out, "- {}: {}", row.figure, note);
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn samples(values: &[f64]) -> Samples {
        let mut s = Samples::new();
        for v in values {
            s.push(*v);
        }
        s
    }

    #[test]
    fn a_ratio_target_is_judged_on_medians() {
        let row = Row::new("x", "x", Unit::Ms, &samples(&[3.0, 3.0, 30.0]))
            .baseline("b", &samples(&[2.0]))
            .target(Target::Ratio { max: 1.5 });
        assert_eq!(row.ratio, Some(1.5));
        assert_eq!(row.verdict, Verdict::Met);
        let row = row.target(Target::Ratio { max: 1.4 });
        assert_eq!(row.verdict, Verdict::Missed);
    }

    #[test]
    fn a_latency_target_needs_median_and_tail() {
        let mut values = vec![2.0; 99];
        values.push(50.0);
        values.push(50.0);
        let target = Target::Latency {
            rtt_factor: 1.5,
            plus_ms: 2.0,
            p99_max_ms: 20.0,
        };
        let row = Row::new("x", "x", Unit::Ms, &samples(&values))
            .baseline("rtt", &samples(&[0.2]))
            .target(target);
        assert_eq!(row.verdict, Verdict::Missed, "the tail is over 20 ms");
        let row = Row::new("x", "x", Unit::Ms, &samples(&values[..99]))
            .baseline("rtt", &samples(&[0.2]))
            .target(target);
        assert_eq!(row.verdict, Verdict::Met);
    }

    #[test]
    fn numbers_carry_their_unit() {
        assert_eq!(number(0.1234, Unit::Ms), "0.123 ms");
        assert_eq!(number(1234.0, Unit::Ms), "1.23 s");
        assert_eq!(number(2048.0, Unit::Bytes), "2.0 KiB");
        assert_eq!(number(2048.0, Unit::Kib), "2.0 MiB");
    }
}
