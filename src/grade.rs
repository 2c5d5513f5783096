//! Running the code under test so that every failure reads clearly.
//!
//! [`run`] calls the subject on a fresh thread and waits at most a time
//! limit. What could go wrong becomes a failed test with a message that says
//! what happened and what to do:
//!
//! - the subject is still a stub (`todo!()`): "not implemented yet: open
//!   exercises/src/cosine.rs";
//! - it panicked: the panic message, and the seed to replay the case;
//! - it did not answer in time (an endless loop, or an algorithm far slower
//!   than the input allows): the limit, and that the run moved on.
//!
//! A thread that never answers cannot be killed; it is left behind and dies
//! with the test process, so the rest of the suite still runs.

use std::any::Any;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Once;
use std::sync::mpsc::{RecvTimeoutError, channel};
use std::thread;
use std::time::Duration;

use crate::seed;

/// The environment variable that scales every time limit (a float; `2` doubles them).
pub const TIME_SCALE_VARIABLE: &str = "KATA_TIME_SCALE";

/// The limit of an ordinary test: generous, since it only stops endless loops.
pub const DEFAULT_LIMIT: Duration = Duration::from_secs(20);

/// The limit of a `scale_` test: an efficient answer takes a few milliseconds,
/// a quadratic one takes minutes.
pub const SCALE_LIMIT: Duration = Duration::from_secs(4);

/// Runs `body` under [`DEFAULT_LIMIT`]; see [`run_within`].
pub fn run<T, F>(exercise: &str, body: F) -> T
where
    T: Send + 'static,
    F: FnOnce() -> T + Send + 'static,
{
    run_within(exercise, DEFAULT_LIMIT, body)
}

/// Runs `body` on a fresh thread and returns its value, or fails the test
/// with a clear message when it panics or does not finish within `limit`
/// (scaled by `KATA_TIME_SCALE`).
///
/// `exercise` names the module under test, for the "open this file" message.
///
/// # Panics
/// That is how it fails the test: always with a message for a person.
pub fn run_within<T, F>(exercise: &str, limit: Duration, body: F) -> T
where
    T: Send + 'static,
    F: FnOnce() -> T + Send + 'static,
{
    // A mistyped KATA_SEED fails every graded test the same way, up front.
    seed::seed();
    install_quiet_panic_hook();
    let limit = limit.mul_f64(time_scale());
    let (sender, receiver) = channel();
    let name = format!("{SUBJECT_THREAD}{}", seed::current_label());
    let spawned = thread::Builder::new().name(name).spawn(move || {
        // The receiver may have given up (time limit): nobody to tell then.
        let _ = sender.send(catch_unwind(AssertUnwindSafe(body)));
    });
    if let Err(error) = spawned {
        panic!("could not start a thread for the code under test: {error}");
    }
    match receiver.recv_timeout(limit) {
        Ok(Ok(value)) => value,
        Ok(Err(payload)) => panic!("{}", describe_panic(exercise, payload.as_ref())),
        Err(RecvTimeoutError::Timeout) => panic!(
            "`{exercise}` gave no answer within {:.1} s: an endless loop, or an algorithm far \
             slower than this input allows (a slow machine can raise every limit with \
             {TIME_SCALE_VARIABLE}=3). {}",
            limit.as_secs_f64(),
            seed::replay_hint()
        ),
        Err(RecvTimeoutError::Disconnected) => {
            panic!("`{exercise}`: the code under test ended its thread without an answer")
        }
    }
}

/// The prefix of the name of a thread that runs the code under test.
///
/// Its panics are reported once, by the test that called [`run_within`],
/// so the panic hook prints nothing for such a thread.
pub const SUBJECT_THREAD: &str = "kata-subject:";

/// Replaces the default panic hook, once per process, with one that says
/// each failure once and never prints a backtrace: the code under test's
/// panics are reported by the grader (and proptest's shrinking would
/// otherwise print every intermediate panic), and a test's own failure is
/// its message and where it was raised, nothing more, even with
/// `RUST_BACKTRACE=1`.
fn install_quiet_panic_hook() {
    static INSTALLED: Once = Once::new();
    INSTALLED.call_once(|| {
        std::panic::set_hook(Box::new(|info| {
            let thread = thread::current();
            let name = thread.name().unwrap_or("<unnamed>");
            if name.starts_with(SUBJECT_THREAD) {
                return;
            }
            let location =
                info.location().map(|at| format!(" at {}:{}", at.file(), at.line())).unwrap_or_default();
            eprintln!("thread '{name}' panicked{location}:\n{}", panic_message(info.payload()));
        }));
    });
}

/// The text of a panic payload (`panic!` gives a `&str` or a `String`).
pub fn panic_message(payload: &(dyn Any + Send)) -> String {
    if let Some(text) = payload.downcast_ref::<&str>() {
        (*text).to_owned()
    } else if let Some(text) = payload.downcast_ref::<String>() {
        text.clone()
    } else {
        "(a panic without a message)".to_owned()
    }
}

/// Whether a panic message comes from a `todo!()` or `unimplemented!()` stub.
///
/// ```
/// assert!(kata::grade::is_stub_message("not yet implemented: open exercises/src/cosine.rs"));
/// assert!(!kata::grade::is_stub_message("index out of bounds"));
/// ```
pub fn is_stub_message(message: &str) -> bool {
    message.contains("not yet implemented") || message.contains("not implemented:")
}

/// `assert_eq!` for hidden tests: fails with "CONTEXT: expected E, got A",
/// so a candidate never has to guess which of `left` and `right` was the
/// right answer. The actual value comes first, as in `assert_eq!`.
///
/// ```
/// kata::expect_eq!(2 + 2, 4, "sum of {}", "two twos");
/// let failure = std::panic::catch_unwind(|| kata::expect_eq!(2 + 2, 5, "sum"));
/// assert!(failure.is_err());
/// ```
#[macro_export]
macro_rules! expect_eq {
    ($actual:expr, $expected:expr $(,)?) => {
        $crate::expect_eq!($actual, $expected, "{}", stringify!($actual))
    };
    ($actual:expr, $expected:expr, $($context:tt)+) => {
        // A match, as in `assert_eq!`, keeps temporaries alive to the end.
        match (&$actual, &$expected) {
            (actual, expected) => {
                if !(*actual == *expected) {
                    panic!("{}: expected {:?}, got {:?}", format_args!($($context)+), expected, actual);
                }
            }
        }
    };
}

/// The failure message for a panic inside the code under test.
fn describe_panic(exercise: &str, payload: &(dyn Any + Send)) -> String {
    let message = panic_message(payload);
    if is_stub_message(&message) {
        format!(
            "`{exercise}` is not implemented yet: open {} and replace the todo!() with your \
             solution (the doc comment above it is the problem statement).",
            stub_path(exercise)
        )
    } else if message.contains(seed::SEED_VARIABLE) {
        // A property failure names the seed already.
        message
    } else {
        format!(
            "`{exercise}` panicked: {message}{}\n(every input must get a result or the contract's error, \
             never a panic; {})",
            panic_cause(&message),
            seed::replay_hint()
        )
    }
}

/// What the standard library's own panic messages usually mean in an
/// answer, or "" for the others.
fn panic_cause(message: &str) -> &'static str {
    if message.contains("capacity overflow") {
        ": a collection grew past what memory can hold: sized by a huge number from the input (such as k, \
         or a length read from the data) instead of by what it will hold, or filled from an endless iterator"
    } else if message.contains("with overflow") {
        ": integer arithmetic passed the type's range: use checked_, saturating_ or wider arithmetic, or \
         reorder it (a - b where b can exceed a)"
    } else if message.contains("out of bounds") || message.contains("greater than length") {
        ": an index past the end: check every index that comes from the input (an id, k, a window, a \
         count) against the length first"
    } else if message.contains("byte index") && message.contains("char boundary") {
        ": a string sliced inside a multi-byte UTF-8 character: slice at char boundaries"
    } else {
        ""
    }
}

/// The file a candidate edits for the exercise `name`, relative to the
/// kit's root.
///
/// ```
/// assert_eq!(kata::grade::stub_path("cosine"), "exercises/src/cosine.rs");
/// ```
pub fn stub_path(name: &str) -> String {
    format!("exercises/src/{name}.rs")
}

/// The `KATA_TIME_SCALE` factor; 1 when unset or not a positive number.
fn time_scale() -> f64 {
    std::env::var(TIME_SCALE_VARIABLE)
        .ok()
        .and_then(|text| text.trim().parse::<f64>().ok())
        .filter(|scale| scale.is_finite() && *scale > 0.0)
        .unwrap_or(1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn failure_of(body: impl FnOnce() + Send + 'static, limit: Duration) -> String {
        let payload = catch_unwind(AssertUnwindSafe(|| run_within("demo", limit, body)))
            .expect_err("the graded body should fail");
        panic_message(payload.as_ref())
    }

    #[test]
    fn returns_the_value() {
        assert_eq!(run("demo", || 6 * 7), 42);
    }

    #[test]
    fn a_stub_names_the_file_to_open() {
        let message = failure_of(|| todo!("later"), DEFAULT_LIMIT);
        assert!(message.contains("not implemented yet: open exercises/src/demo.rs"), "{message}");
    }

    #[test]
    fn a_panic_keeps_its_message_and_the_seed() {
        let message = failure_of(|| panic!("boom"), DEFAULT_LIMIT);
        assert!(message.starts_with("`demo` panicked: boom"), "{message}");
        assert!(message.contains("KATA_SEED="), "{message}");
    }

    #[test]
    fn a_panic_from_the_standard_library_says_what_it_usually_means() {
        let message = failure_of(|| drop(Vec::<u64>::with_capacity(usize::MAX)), DEFAULT_LIMIT);
        assert!(
            message.contains("capacity overflow: a collection grew past what memory can hold"),
            "{message}"
        );
        let message = failure_of(|| drop(std::hint::black_box("é")[..1].to_owned()), DEFAULT_LIMIT);
        assert!(message.contains("slice at char boundaries"), "{message}");
    }

    #[test]
    fn an_endless_loop_fails_in_time() {
        let message = failure_of(
            || {
                #[allow(clippy::empty_loop)]
                loop {
                    thread::sleep(Duration::from_millis(10));
                }
            },
            Duration::from_millis(50),
        );
        assert!(message.contains("no answer within"), "{message}");
    }
}
