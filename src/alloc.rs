//! A counting global allocator, for tests that bound how much memory the
//! code under test holds at once.
//!
//! [`CountingAllocator`] forwards every call to [`System`] and keeps, per
//! thread, the bytes live now and their peak, the bytes requested and the
//! largest single request. [`peak_allocated_by`] resets the peak, runs a
//! body and reports the most bytes the body held at once on its thread,
//! beyond what was live when it started; [`bytes_allocated_by`] reports what
//! a body requested and [`largest_allocation_in`] its largest request. Counters are per thread
//! so that tests running in parallel never see each other's allocations; run
//! the measured body on the thread that calls `peak_allocated_by` (inside
//! [`crate::grade::run`], call it within the graded closure).
//!
//! A test file installs it once:
//!
//! ```ignore
//! #[global_allocator]
//! static ALLOCATOR: kata::alloc::CountingAllocator = kata::alloc::CountingAllocator;
//! ```
//!
//! then checks [`check_active`] before trusting a measurement: without the
//! allocator installed every peak would read 0 and every budget would pass.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

thread_local! {
    // Const-initialised and without a destructor: touching them never
    // allocates, which an allocator's bookkeeping must not do.
    static LIVE: Cell<isize> = const { Cell::new(0) };
    static PEAK: Cell<isize> = const { Cell::new(0) };
    // Bytes requested (new allocations, and the growth of reallocations).
    static REQUESTED: Cell<usize> = const { Cell::new(0) };
    // The largest single request (an allocation, or a reallocation's new size).
    static LARGEST: Cell<usize> = const { Cell::new(0) };
}

/// Counts one request of `bytes` (of which `growth` are new).
fn request(bytes: usize, growth: usize) {
    let _ = REQUESTED.try_with(|requested| requested.set(requested.get().saturating_add(growth)));
    let _ = LARGEST.try_with(|largest| largest.set(largest.get().max(bytes)));
}

/// Adds `delta` bytes to this thread's live count and raises its peak.
fn record(delta: isize) {
    // `try_with` fails only while the thread is being torn down: nothing to count then.
    let _ = LIVE.try_with(|live| {
        let now = live.get().saturating_add(delta);
        live.set(now);
        let _ = PEAK.try_with(|peak| peak.set(peak.get().max(now)));
    });
}

/// A size as a signed delta (a `Layout`'s size never exceeds `isize::MAX`).
fn signed(size: usize) -> isize {
    isize::try_from(size).unwrap_or(isize::MAX)
}

/// [`System`], counting the live bytes of each thread and their peak (memory
/// freed by another thread than the one that allocated it counts there).
pub struct CountingAllocator;

// SAFETY: every method forwards its arguments unchanged to `System`, which
// upholds `GlobalAlloc`'s contract; the counting around it touches only
// const-initialised thread-locals, so it neither allocates nor unwinds.
unsafe impl GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        record(signed(layout.size()));
        request(layout.size(), layout.size());
        // SAFETY: the caller's `layout` meets `alloc`'s requirements.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        record(signed(layout.size()));
        request(layout.size(), layout.size());
        // SAFETY: as for `alloc`.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        record(-signed(layout.size()));
        // SAFETY: `ptr` came from `System` (every allocation here does) with `layout`.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        record(signed(new_size) - signed(layout.size()));
        request(new_size, new_size.saturating_sub(layout.size()));
        // SAFETY: `ptr` came from `System` with `layout`; the caller vouches for `new_size`.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

/// Runs `body` and returns its value with the most bytes it held live at
/// once on this thread (0 when it only freed memory, or when the counting
/// allocator is not installed).
pub fn peak_allocated_by<T>(body: impl FnOnce() -> T) -> (T, usize) {
    let start = LIVE.with(Cell::get);
    PEAK.with(|peak| peak.set(start));
    let value = body();
    let peak = PEAK.with(Cell::get);
    (value, usize::try_from(peak - start).unwrap_or(0))
}

/// Runs `body` and returns its value with the bytes it requested on this
/// thread: every allocation, and the growth of every reallocation (what a
/// lazy iterator must not spend before it is asked for an item).
pub fn bytes_allocated_by<T>(body: impl FnOnce() -> T) -> (T, usize) {
    let start = REQUESTED.with(Cell::get);
    let value = body();
    (value, REQUESTED.with(Cell::get).saturating_sub(start))
}

/// Runs `body` and returns its value with the largest single request it
/// made on this thread (what a reader that trusts a corrupted length field
/// would give away).
pub fn largest_allocation_in<T>(body: impl FnOnce() -> T) -> (T, usize) {
    let before = LARGEST.with(|largest| largest.replace(0));
    let value = body();
    let during = LARGEST.with(|largest| largest.replace(before.max(largest.get())));
    (value, during)
}

/// `Ok` when [`CountingAllocator`] is this process's global allocator, so
/// that a budget check can never pass because nothing was counted; the
/// error says how to install it.
pub fn check_active() -> Result<(), String> {
    let (_, bytes) = peak_allocated_by(|| std::hint::black_box(vec![0_u8; 4096]));
    if bytes >= 4096 {
        Ok(())
    } else {
        Err("test bug: kata::alloc::CountingAllocator is not the global allocator; install it with \
             #[global_allocator] static ALLOCATOR: kata::alloc::CountingAllocator = \
             kata::alloc::CountingAllocator;"
            .to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[global_allocator]
    static ALLOCATOR: CountingAllocator = CountingAllocator;

    #[test]
    fn the_installed_allocator_is_active() {
        assert_eq!(check_active(), Ok(()));
    }

    #[test]
    fn the_peak_is_the_most_held_at_once_not_the_total() {
        let (_, peak) = peak_allocated_by(|| {
            for _ in 0..8 {
                drop(std::hint::black_box(vec![0_u8; 1 << 20]));
            }
        });
        assert!((1 << 20..2 << 20).contains(&peak), "peak {peak}");
        let (kept, peak) = peak_allocated_by(|| std::hint::black_box(vec![0_u8; 3 << 20]));
        assert!(peak >= 3 << 20, "peak {peak}");
        let (_, peak) = peak_allocated_by(|| drop(kept));
        assert_eq!(peak, 0, "freeing memory held before the scope is not a peak");
    }
}
