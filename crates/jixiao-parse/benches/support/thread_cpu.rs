//! This thread's CPU time, which a shared machine's wall time hides; used by the parse bench and
//! `jixiao-rules/examples/check_cpu.rs`.

use std::time::Duration;

/// The CPU time this thread has used (user and system), in nanoseconds resolution; `None` where
/// `/proc/thread-self/schedstat` is not available (not Linux).
pub fn thread_cpu() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let nanos = stat.split_whitespace().next()?.parse().ok()?;
    Some(Duration::from_nanos(nanos))
}
