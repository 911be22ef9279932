//! A second core for the large steps of a command: [`join`] runs two steps side by side, the
//! second on one helper thread that waits for work by spinning, not by sleeping.
//!
//! Written by hand rather than with a thread per step (`std::thread::scope`) or rayon, whose
//! idle workers sleep: on the 2-core machines allhands is measured on, the kernel runs a thread
//! that was just started or woken on the core of the thread that started or woke it, and moves
//! it to the idle core only 1-3 ms later, about as long as the steps split here. Measured
//! there: two halves of 2.4 ms each took 4.7 ms on a new thread or a woken worker, 2.3 ms on a
//! spinning one. A helper that does not sleep between steps keeps its own core. It spins only
//! while steps keep coming (it ends after [`IDLE`] without one), and lets any other thread
//! that wants its core have it.

use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};
use std::time::{Duration, Instant};

/// `ALLHANDS_THREADS=1` keeps a command on one core (for a shared machine, or to compare).
const THREADS: &str = "ALLHANDS_THREADS";

/// From how many rows (sessions, people, lines of a table) a list's work is done in halves:
/// below, handing half of it to the helper costs more than it saves.
pub const MANY: usize = 2000;

/// How long the helper waits for a next step before it ends.
const IDLE: Duration = Duration::from_millis(5);

/// A step posted for the helper. Its lifetime is erased (see [`join`]).
type Step = Box<dyn FnOnce() + Send + 'static>;

/// The one step waiting to be taken, if any, with the number of the `join` that posted it
/// (`POSTED` says there is one without taking the lock).
static WAITING: Mutex<Option<(u64, Step)>> = Mutex::new(None);
static POSTED: AtomicBool = AtomicBool::new(false);
static NEXT_NUMBER: AtomicU64 = AtomicU64::new(0);
/// Whether a helper thread is running (or being started).
static HELPER: AtomicBool = AtomicBool::new(false);

/// Runs `first` here and `second` on the helper, side by side, and returns both results once
/// both are done. If the helper is busy (or cannot be started), `second` runs here after
/// `first`; if the helper has not begun `second` by the time `first` is done, it is taken back
/// and run here. A panic in either is raised here, once both have finished.
pub fn join<A, B: Send>(first: impl FnOnce() -> A, second: impl FnOnce() -> B + Send) -> (A, B) {
    let finished = Arc::new(Finished::<B> {
        value: Mutex::new(None),
        done: AtomicBool::new(false),
    });
    let result = Arc::clone(&finished);
    let step: Box<dyn FnOnce() + Send + '_> = Box::new(move || {
        let value = panic::catch_unwind(AssertUnwindSafe(second));
        *result.value.lock().unwrap_or_else(PoisonError::into_inner) = Some(value);
        // The last thing the step does: once `done` is seen, `join` may return and what
        // `second` borrowed may be gone.
        result.done.store(true, Ordering::Release);
    });
    // SAFETY: the step may borrow from the caller's frame (`second` may), but `join` neither
    // returns nor unwinds before the step has run to its end: below, it is run here, or taken
    // back and run here, or `join` waits until whoever took it has set `done`, which is the
    // step's last access to anything it borrowed. Both halves' panics are caught until then.
    let step: Step = unsafe { std::mem::transmute::<Box<dyn FnOnce() + Send + '_>, Step>(step) };
    let number = NEXT_NUMBER.fetch_add(1, Ordering::Relaxed);
    if let Err(step) = post(number, step) {
        step();
    }
    let first = panic::catch_unwind(AssertUnwindSafe(first));
    // Not begun yet: run here. Only this join's own step is taken back: another's, run here,
    // might wait for a lock that `first`'s caller holds.
    if let Some(step) = take_back(number) {
        step();
    }
    let mut spins = 0u32;
    while !finished.done.load(Ordering::Acquire) {
        spins = spins.wrapping_add(1);
        if spins.is_multiple_of(256) {
            std::thread::yield_now();
        } else {
            std::hint::spin_loop();
        }
    }
    let second = (finished.value.lock().unwrap_or_else(PoisonError::into_inner))
        .take()
        .expect("a finished step has its value");
    match (first, second) {
        (Ok(first), Ok(second)) => (first, second),
        (Err(panic), _) | (_, Err(panic)) => panic::resume_unwind(panic),
    }
}

/// [`join`] if `worth` it, else `first` then `second` here: at All Hands size, starting the
/// helper (a thread, its cores) costs more than the steps it would share.
pub fn join_if<A, B: Send>(worth: bool, first: impl FnOnce() -> A, second: impl FnOnce() -> B + Send) -> (A, B) {
    if worth {
        join(first, second)
    } else {
        let first = first();
        (first, second())
    }
}

/// `work` done on all `items`, in order: if `worth` it, on the two halves side by side (see
/// [`join`]).
pub fn in_halves<I: Sync, T: Send>(items: &[I], worth: bool, work: impl Fn(&[I]) -> Vec<T> + Sync) -> Vec<T> {
    if !worth || items.len() < 2 {
        return work(items);
    }
    let (early, late) = items.split_at(items.len() / 2);
    let (mut done, late) = join(|| work(early), || work(late));
    done.extend(late);
    done
}

/// What a step left: its value (or panic), and whether it is done.
struct Finished<B> {
    value: Mutex<Option<std::thread::Result<B>>>,
    done: AtomicBool,
}

/// Starts the helper if none is running. Whether one runs.
fn start() -> bool {
    // With one core (or a quota of one), a helper would only take turns with its caller;
    // `ALLHANDS_THREADS=1` asks for none.
    static SEVERAL_CORES: OnceLock<bool> = OnceLock::new();
    let several = SEVERAL_CORES.get_or_init(|| {
        std::env::var_os(THREADS).is_none_or(|v| v != "1")
            && std::thread::available_parallelism().is_ok_and(|n| n.get() > 1)
    });
    if !several {
        return false;
    }
    if HELPER.swap(true, Ordering::AcqRel) {
        return true;
    }
    let cores = Cores::here();
    // The helper waits until it has been sent elsewhere: then it cannot have ended while it is
    // being sent, and is allowed every core only after that.
    let sent = Arc::new(AtomicBool::new(false));
    let sent_here = Arc::clone(&sent);
    match std::thread::Builder::new()
        .name("allhands-helper".into())
        .spawn(move || {
            // Beside its starter until then: it gives way.
            while !sent.load(Ordering::Acquire) {
                std::thread::yield_now();
            }
            cores.allow_all();
            serve();
        }) {
        Ok(helper) => {
            cores.send_elsewhere(&helper);
            sent_here.store(true, Ordering::Release);
            true
        }
        Err(_) => {
            HELPER.store(false, Ordering::Release);
            false
        }
    }
}

/// The cores this thread may run on and the one it runs on: a new thread is sent to another
/// one of them at once, rather than sharing this one until the kernel moves it (see the
/// module's documentation), then allowed all of them again.
#[derive(Clone, Copy)]
struct Cores {
    #[cfg(target_os = "linux")]
    allowed: Option<(libc::cpu_set_t, usize)>,
}

impl Cores {
    #[cfg(target_os = "linux")]
    fn here() -> Cores {
        // SAFETY: system calls that fill a zeroed `cpu_set_t` owned here, of the size given.
        let allowed = unsafe {
            let mut allowed: libc::cpu_set_t = std::mem::zeroed();
            let size = std::mem::size_of::<libc::cpu_set_t>();
            let here = libc::sched_getcpu();
            (libc::sched_getaffinity(0, size, &mut allowed) == 0 && here >= 0).then_some((allowed, here as usize))
        };
        Cores { allowed }
    }

    /// Lets `thread` run on any allowed core but this one, if there is another.
    #[cfg(target_os = "linux")]
    fn send_elsewhere<T>(&self, thread: &std::thread::JoinHandle<T>) {
        use std::os::unix::thread::JoinHandleExt;
        let Some((mut others, here)) = self.allowed else {
            return;
        };
        if here >= libc::CPU_SETSIZE as usize {
            return;
        }
        // SAFETY: `others` is a valid `cpu_set_t` owned here, `here` is within it, and
        // `thread` is running: it waits for this call (see `start`).
        unsafe {
            libc::CPU_CLR(here, &mut others);
            if libc::CPU_COUNT(&others) > 0 {
                libc::pthread_setaffinity_np(thread.as_pthread_t(), std::mem::size_of::<libc::cpu_set_t>(), &others);
            }
        }
    }

    /// Lets the calling thread run on every core its starter could.
    #[cfg(target_os = "linux")]
    fn allow_all(&self) {
        if let Some((allowed, _)) = &self.allowed {
            // SAFETY: `allowed` is a valid `cpu_set_t` of the size given.
            unsafe { libc::sched_setaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), allowed) };
        }
    }

    #[cfg(not(target_os = "linux"))]
    fn here() -> Cores {
        Cores {}
    }

    #[cfg(not(target_os = "linux"))]
    fn send_elsewhere<T>(&self, _thread: &std::thread::JoinHandle<T>) {}

    #[cfg(not(target_os = "linux"))]
    fn allow_all(&self) {}
}

/// Posts `step` for the helper, starting one if none is running; gives the step back if
/// another is waiting or no helper can be started.
fn post(number: u64, step: Step) -> Result<(), Step> {
    let mut waiting = WAITING.lock().unwrap_or_else(PoisonError::into_inner);
    if waiting.is_some() || !start() {
        return Err(step);
    }
    *waiting = Some((number, step));
    POSTED.store(true, Ordering::Release);
    Ok(())
}

/// The waiting step, if any, taken to be run.
fn take() -> Option<Step> {
    if !POSTED.load(Ordering::Acquire) {
        return None;
    }
    let mut waiting = WAITING.lock().unwrap_or_else(PoisonError::into_inner);
    POSTED.store(false, Ordering::Release);
    waiting.take().map(|(_, step)| step)
}

/// The step that the `join` numbered `number` posted, if it is still waiting.
fn take_back(number: u64) -> Option<Step> {
    let mut waiting = WAITING.lock().unwrap_or_else(PoisonError::into_inner);
    if waiting.as_ref().is_none_or(|(posted_by, _)| *posted_by != number) {
        return None;
    }
    POSTED.store(false, Ordering::Release);
    waiting.take().map(|(_, step)| step)
}

/// The helper: runs steps as they are posted, until none has come for [`IDLE`].
fn serve() {
    let mut last = Instant::now();
    let mut spins = 0u32;
    loop {
        if let Some(step) = take() {
            step();
            last = Instant::now();
            continue;
        }
        spins = spins.wrapping_add(1);
        if spins.is_multiple_of(256) {
            if last.elapsed() > IDLE {
                // A step posted from now on starts a new helper; one posted just before is
                // taken back by its `join`.
                HELPER.store(false, Ordering::Release);
                return;
            }
            // Another thread that wants this core gets it.
            std::thread::yield_now();
        }
        std::hint::spin_loop();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_results_come_back_and_borrow_from_the_caller() {
        let numbers: Vec<u64> = (1..=10_000).collect();
        for _ in 0..200 {
            let (low, high) = join(
                || numbers[..5000].iter().sum::<u64>(),
                || numbers[5000..].iter().sum::<u64>(),
            );
            assert_eq!(low + high, 50_005_000);
        }
    }

    #[test]
    fn joins_nest_and_run_from_several_threads_at_once() {
        fn sum(range: std::ops::Range<u64>) -> u64 {
            if range.end - range.start <= 1000 {
                return range.sum();
            }
            let middle = range.start + (range.end - range.start) / 2;
            let (a, b) = join(|| sum(range.start..middle), || sum(middle..range.end));
            a + b
        }
        std::thread::scope(|scope| {
            let sums: Vec<_> = (0..4).map(|_| scope.spawn(|| sum(0..100_000))).collect();
            for s in sums {
                assert_eq!(s.join().unwrap(), 4_999_950_000);
            }
        });
    }

    #[test]
    fn work_in_halves_comes_back_whole_and_in_order() {
        let items: Vec<u32> = (0..1001).collect();
        for worth in [true, false] {
            assert_eq!(
                in_halves(&items, worth, |part| part.iter().map(|i| i * 2).collect()),
                (0..2002).step_by(2).collect::<Vec<u32>>()
            );
        }
        assert_eq!(in_halves(&[] as &[u32], true, |part| part.to_vec()), Vec::<u32>::new());
        assert_eq!(in_halves(&[7], true, |part| part.to_vec()), vec![7]);
    }

    #[test]
    fn a_panic_in_either_step_is_raised_after_both_have_finished() {
        let other_ran = AtomicBool::new(false);
        let caught = panic::catch_unwind(AssertUnwindSafe(|| {
            join(
                || other_ran.store(true, Ordering::SeqCst),
                || -> u32 { panic!("second step fails") },
            )
        }));
        assert!(caught.is_err());
        assert!(other_ran.load(Ordering::SeqCst));
        let other_ran = AtomicBool::new(false);
        let caught = panic::catch_unwind(AssertUnwindSafe(|| {
            join(
                || -> u32 { panic!("first step fails") },
                || other_ran.store(true, Ordering::SeqCst),
            )
        }));
        assert!(caught.is_err());
        assert!(other_ran.load(Ordering::SeqCst));
        // The helper still serves.
        assert_eq!(join(|| 1, || 2), (1, 2));
    }

    #[test]
    fn the_helper_ends_when_idle_and_a_new_one_starts_for_the_next_step() {
        assert_eq!(join(|| 1, || 2), (1, 2));
        let deadline = Instant::now() + Duration::from_secs(10);
        // Other tests may keep a helper busy: wait until it has been idle long enough.
        while HELPER.load(Ordering::Acquire) && Instant::now() < deadline {
            std::thread::sleep(IDLE);
        }
        assert!(!HELPER.load(Ordering::Acquire), "the helper ended");
        assert_eq!(join(|| "here", || "there"), ("here", "there"));
    }
}
