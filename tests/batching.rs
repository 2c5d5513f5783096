//! Hidden tests for the `batching` exercise (`exercises/src/batching.rs`).
//!
//! Tiers, by name prefix: `examples_` (the statement's examples), `edge_`
//! (zero batch size, no sequences, empty sequences, one sequence, batch size
//! above the input, the last partial batch), `property_` (random cases
//! against batches padded by hand), `robust_` (many equal lengths, a huge
//! sequence among short ones, any `AsRef<[u32]>` input, laziness watched
//! through counted `as_ref()` calls and a counting allocator), `scale_` (a
//! million sequences in linear time).

use std::collections::HashSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use kata::expect_eq;
use kata::generate::sequences::{self, batching_case};
use kata::grade;
use kata::ndarray::{Array2, array};
use kata::oracle::batching as oracle;
use kata::property;
use kata::seed::rng_for;
use kata::subject::batching::{Batch, BatchError, BatchOrder, pad_batch, padded_batches};
use proptest::prelude::*;

const EXERCISE: &str = "batching";

const BOTH_ORDERS: [BatchOrder; 2] = [BatchOrder::Input, BatchOrder::LongestFirst];

#[global_allocator]
static ALLOCATOR: kata::alloc::CountingAllocator = kata::alloc::CountingAllocator;

/// The subject's `pad_batch`, under the time limit.
fn subject_pad(seqs: Vec<Vec<u32>>, pad_id: u32) -> Batch {
    grade::run(EXERCISE, move || pad_batch(&seqs, pad_id))
}

/// Every batch the subject's `padded_batches` yields, under the time limit.
fn subject_batches(
    seqs: Vec<Vec<u32>>,
    batch_size: usize,
    pad_id: u32,
    order: BatchOrder,
) -> Result<Vec<Batch>, BatchError> {
    grade::run(EXERCISE, move || collect_batches(&seqs, batch_size, pad_id, order))
}

fn collect_batches<S: AsRef<[u32]>>(
    seqs: &[S],
    batch_size: usize,
    pad_id: u32,
    order: BatchOrder,
) -> Result<Vec<Batch>, BatchError> {
    padded_batches(seqs, batch_size, pad_id, order).map(Iterator::collect)
}

/// A batch written out by hand: its rows, padding included.
fn batch(ids: Array2<u32>, mask: Array2<u8>, lengths: &[usize], indices: &[usize]) -> Batch {
    Batch { ids, mask, lengths: lengths.to_vec(), indices: indices.to_vec() }
}

/// The first difference between two batches, with a hint at its usual cause.
fn batch_difference(actual: &Batch, expected: &Batch) -> Option<String> {
    if actual.indices != expected.indices {
        return Some(format!("indices {:?}, expected {:?}", actual.indices, expected.indices));
    }
    if actual.lengths != expected.lengths {
        return Some(format!("lengths {:?}, expected {:?}", actual.lengths, expected.lengths));
    }
    for (what, shape) in [("ids", actual.ids.dim()), ("mask", actual.mask.dim())] {
        if shape != expected.ids.dim() {
            let hint = if shape.1 > expected.ids.ncols() {
                " (the width is the longest sequence in this batch, not in the whole input)"
            } else {
                ""
            };
            return Some(format!("{what} has shape {shape:?}, expected {:?}{hint}", expected.ids.dim()));
        }
    }
    for row in 0..expected.ids.nrows() {
        let (got, want) = (actual.ids.row(row), expected.ids.row(row));
        if got != want {
            let length = expected.lengths[row];
            let left_padded = got.iter().skip(got.len() - length).eq(want.iter().take(length));
            let hint = if left_padded && length < got.len() { " (pad on the right)" } else { "" };
            return Some(format!("ids row {row} is {got}, expected {want}{hint}"));
        }
        let (got, want) = (actual.mask.row(row), expected.mask.row(row));
        if got != want {
            let inverted = got.iter().zip(want).all(|(&g, &w)| g == 1 - w.min(1));
            let hint = if inverted { " (the mask is 1 for a real token, 0 for padding)" } else { "" };
            return Some(format!("mask row {row} is {got}, expected {want}{hint}"));
        }
    }
    None
}

/// Checks a whole run of batches against the expected ones.
fn check_batches(actual: &[Batch], expected: &[Batch]) -> Result<(), String> {
    for (number, (got, want)) in actual.iter().zip(expected).enumerate() {
        if let Some(difference) = batch_difference(got, want) {
            return Err(format!("batch {number}: {difference}"));
        }
    }
    if actual.len() != expected.len() {
        let hint = if actual.len() < expected.len() { " (is the last, smaller batch dropped?)" } else { "" };
        return Err(format!("got {} batches, expected {}{hint}", actual.len(), expected.len()));
    }
    Ok(())
}

fn assert_batches(actual: &[Batch], expected: &[Batch], case: &str) {
    if let Err(message) = check_batches(actual, expected) {
        panic!("{case}: {message}");
    }
}

/// The statement's sequences for `padded_batches`: lengths 1, 3, 2, 4, 1.
fn statement_sequences() -> Vec<Vec<u32>> {
    vec![vec![1], vec![2, 2, 2], vec![3, 3], vec![4, 4, 4, 4], vec![5]]
}

// ---------------------------------------------------------------- examples

#[test]
fn examples_pad_batch_pads_on_the_right_to_the_longest() {
    let seqs = vec![vec![5, 6, 7], vec![8], vec![9, 10]];
    let expected = batch(
        array![[5, 6, 7], [8, 0, 0], [9, 10, 0]],
        array![[1, 1, 1], [1, 0, 0], [1, 1, 0]],
        &[3, 1, 2],
        &[0, 1, 2],
    );
    assert_batches(&[subject_pad(seqs, 0)], &[expected], "pad_batch([[5, 6, 7], [8], [9, 10]], 0)");
}

#[test]
fn examples_input_order_groups_consecutive_sequences() {
    let expected = [
        batch(array![[1, 0, 0], [2, 2, 2]], array![[1, 0, 0], [1, 1, 1]], &[1, 3], &[0, 1]),
        batch(array![[3, 3, 0, 0], [4, 4, 4, 4]], array![[1, 1, 0, 0], [1, 1, 1, 1]], &[2, 4], &[2, 3]),
        batch(array![[5]], array![[1]], &[1], &[4]),
    ];
    let actual =
        subject_batches(statement_sequences(), 2, 0, BatchOrder::Input).expect("batch size 2 is valid");
    assert_batches(&actual, &expected, "Input order, batch size 2");
}

#[test]
fn examples_longest_first_groups_by_length_with_ties_in_input_order() {
    let expected = [
        batch(array![[4, 4, 4, 4], [2, 2, 2, 0]], array![[1, 1, 1, 1], [1, 1, 1, 0]], &[4, 3], &[3, 1]),
        batch(array![[3, 3], [1, 0]], array![[1, 1], [1, 0]], &[2, 1], &[2, 0]),
        batch(array![[5]], array![[1]], &[1], &[4]),
    ];
    let actual = subject_batches(statement_sequences(), 2, 0, BatchOrder::LongestFirst)
        .expect("batch size 2 is valid");
    assert_batches(&actual, &expected, "LongestFirst, batch size 2");
}

#[test]
fn examples_pad_id_is_written_into_the_padding() {
    let expected = batch(array![[7, 9, 9], [4, 5, 6]], array![[1, 0, 0], [1, 1, 1]], &[1, 3], &[0, 1]);
    assert_batches(&[subject_pad(vec![vec![7], vec![4, 5, 6]], 9)], &[expected], "pad id 9");
}

// ---------------------------------------------------------------- edge

#[test]
fn edge_zero_batch_size_is_an_error_whatever_the_input() {
    for order in BOTH_ORDERS {
        let on_input = subject_batches(statement_sequences(), 0, 0, order);
        expect_eq!(on_input, Err(BatchError::ZeroBatchSize), "{order:?}, five sequences");
        let on_nothing = subject_batches(vec![], 0, 0, order);
        expect_eq!(on_nothing, Err(BatchError::ZeroBatchSize), "{order:?}, no sequences");
    }
}

#[test]
fn edge_zero_batch_size_is_reported_before_any_batch_is_taken() {
    // The error comes from the call itself: no `next()` is ever made here.
    for order in BOTH_ORDERS {
        let failed =
            grade::run(EXERCISE, move || padded_batches(&statement_sequences(), 0, 0, order).is_err());
        assert!(failed, "{order:?}: padded_batches(.., 0, ..) must return Err(ZeroBatchSize)");
    }
}

#[test]
fn edge_pad_batch_of_no_sequences_has_shape_zero_by_zero() {
    let expected = batch(Array2::zeros((0, 0)), Array2::zeros((0, 0)), &[], &[]);
    assert_batches(&[subject_pad(vec![], 0)], &[expected], "pad_batch of no sequences");
}

#[test]
fn edge_no_sequences_yield_no_batches() {
    for order in BOTH_ORDERS {
        expect_eq!(subject_batches(vec![], 3, 0, order), Ok(vec![]), "{order:?}");
    }
}

#[test]
fn edge_empty_sequences_are_rows_of_padding() {
    let expected =
        batch(array![[0, 0], [1, 2], [0, 0]], array![[0, 0], [1, 1], [0, 0]], &[0, 2, 0], &[0, 1, 2]);
    assert_batches(&[subject_pad(vec![vec![], vec![1, 2], vec![]], 0)], &[expected], "pad_batch");
}

#[test]
fn edge_only_empty_sequences_give_width_zero() {
    let empty = || vec![Vec::<u32>::new(); 3];
    let expected = batch(Array2::zeros((3, 0)), Array2::zeros((3, 0)), &[0, 0, 0], &[0, 1, 2]);
    assert_batches(&[subject_pad(empty(), 7)], std::slice::from_ref(&expected), "pad_batch");
    for order in BOTH_ORDERS {
        let actual = subject_batches(empty(), 2, 7, order).expect("batch size 2 is valid");
        let expected = [
            batch(Array2::zeros((2, 0)), Array2::zeros((2, 0)), &[0, 0], &[0, 1]),
            batch(Array2::zeros((1, 0)), Array2::zeros((1, 0)), &[0], &[2]),
        ];
        assert_batches(&actual, &expected, &format!("{order:?}"));
    }
}

#[test]
fn edge_empty_sequences_go_last_in_longest_first() {
    let seqs = vec![vec![], vec![1], vec![], vec![2, 2]];
    let expected = oracle::batches(&seqs, 3, 0, BatchOrder::LongestFirst).expect("valid batch size");
    expect_eq!(expected[0].indices, [3, 1, 0], "test bug: the oracle disagrees with the contract");
    let actual = subject_batches(seqs, 3, 0, BatchOrder::LongestFirst).expect("batch size 3 is valid");
    assert_batches(&actual, &expected, "LongestFirst with empty sequences");
}

#[test]
fn edge_one_sequence_is_one_batch_of_one_row() {
    let expected = [batch(array![[4, 5, 6]], array![[1, 1, 1]], &[3], &[0])];
    assert_batches(&[subject_pad(vec![vec![4, 5, 6]], 0)], &expected, "pad_batch");
    for order in BOTH_ORDERS {
        let actual = subject_batches(vec![vec![4, 5, 6]], 4, 0, order).expect("batch size 4 is valid");
        assert_batches(&actual, &expected, &format!("{order:?}"));
    }
}

#[test]
fn edge_batch_size_above_the_input_gives_one_batch() {
    for order in BOTH_ORDERS {
        let expected = oracle::batches(&statement_sequences(), 100, 0, order).expect("valid batch size");
        expect_eq!(expected.len(), 1, "test bug: expected one batch");
        let actual = subject_batches(statement_sequences(), 100, 0, order).expect("batch size 100 is valid");
        assert_batches(&actual, &expected, &format!("{order:?}, batch size 100 over 5 sequences"));
    }
}

#[test]
fn edge_batch_size_equal_to_the_input_gives_one_full_batch() {
    for order in BOTH_ORDERS {
        let expected = oracle::batches(&statement_sequences(), 5, 0, order).expect("valid batch size");
        let actual = subject_batches(statement_sequences(), 5, 0, order).expect("batch size 5 is valid");
        assert_batches(&actual, &expected, &format!("{order:?}, batch size 5 over 5 sequences"));
    }
}

#[test]
fn edge_batch_size_one_gives_one_row_per_batch() {
    for order in BOTH_ORDERS {
        let expected = oracle::batches(&statement_sequences(), 1, 0, order).expect("valid batch size");
        let actual = subject_batches(statement_sequences(), 1, 0, order).expect("batch size 1 is valid");
        assert_batches(&actual, &expected, &format!("{order:?}, batch size 1"));
    }
}

#[test]
fn edge_the_last_partial_batch_is_kept() {
    let seqs: Vec<Vec<u32>> = (1..=7).map(|n| vec![n; n as usize]).collect();
    for order in BOTH_ORDERS {
        let expected = oracle::batches(&seqs, 3, 0, order).expect("valid batch size");
        let actual = subject_batches(seqs.clone(), 3, 0, order).expect("batch size 3 is valid");
        assert_batches(&actual, &expected, &format!("{order:?}, 7 sequences in batches of 3"));
    }
}

#[test]
fn edge_a_pad_id_equal_to_a_token_is_told_apart_by_the_mask() {
    let expected = batch(array![[0, 0, 0], [0, 3, 0]], array![[1, 0, 0], [1, 1, 1]], &[1, 3], &[0, 1]);
    assert_batches(&[subject_pad(vec![vec![0], vec![0, 3, 0]], 0)], &[expected], "pad id 0 among 0 tokens");
}

// ---------------------------------------------------------------- property

#[test]
fn property_pad_batch_matches_hand_padding() {
    let case = (sequences::sequences(40, 12), any::<u32>());
    grade::run(EXERCISE, move || {
        property::check(case, 256, |(seqs, pad_id)| {
            let rows: Vec<usize> = (0..seqs.len()).collect();
            let expected = oracle::pad_rows(&seqs, &rows, pad_id);
            let actual = pad_batch(&seqs, pad_id);
            check_batches(&[actual], &[expected]).map_err(TestCaseError::fail)
        });
    });
}

#[test]
fn property_input_order_matches_hand_padding() {
    check_against_oracle(BatchOrder::Input);
}

#[test]
fn property_longest_first_matches_a_stable_sort_and_hand_padding() {
    check_against_oracle(BatchOrder::LongestFirst);
}

fn check_against_oracle(order: BatchOrder) {
    grade::run(EXERCISE, move || {
        property::check(batching_case(60, 10, 8), 256, |(seqs, batch_size, pad_id)| {
            let expected = oracle::batches(&seqs, batch_size, pad_id, order)
                .map_err(|error| TestCaseError::fail(format!("test bug: {error}")))?;
            let actual = collect_batches(&seqs, batch_size, pad_id, order)
                .map_err(|error| TestCaseError::fail(format!("batch size {batch_size}: {error:?}")))?;
            check_batches(&actual, &expected).map_err(TestCaseError::fail)
        });
    });
}

#[test]
fn property_longest_first_yields_every_input_once_longest_first_ties_in_input_order() {
    grade::run(EXERCISE, || {
        property::check(batching_case(80, 6, 9), 256, |(seqs, batch_size, pad_id)| {
            let batches = collect_batches(&seqs, batch_size, pad_id, BatchOrder::LongestFirst)
                .map_err(|error| TestCaseError::fail(format!("batch size {batch_size}: {error:?}")))?;
            check_longest_first_invariants(&seqs, &batches).map_err(TestCaseError::fail)
        });
    });
}

/// The order `LongestFirst` promises, checked without an oracle: each input
/// once, lengths never increasing, equal lengths by increasing index.
fn check_longest_first_invariants(seqs: &[Vec<u32>], batches: &[Batch]) -> Result<(), String> {
    let order: Vec<usize> = batches.iter().flat_map(|batch| batch.indices.iter().copied()).collect();
    let mut seen = vec![false; seqs.len()];
    for &index in &order {
        let slot = seen.get_mut(index).ok_or_else(|| format!("index {index} is out of range"))?;
        if std::mem::replace(slot, true) {
            return Err(format!("sequence {index} appears twice"));
        }
    }
    if let Some(missing) = seen.iter().position(|&was_seen| !was_seen) {
        return Err(format!("sequence {missing} appears in no batch"));
    }
    for pair in order.windows(2) {
        let (first, second) = (pair[0], pair[1]);
        let (long, short) = (seqs[first].len(), seqs[second].len());
        if long < short {
            return Err(format!("sequence {first} (length {long}) comes before {second} (length {short})"));
        }
        if long == short && first > second {
            return Err(format!(
                "sequences {first} and {second} both have length {long}: the sort must be stable \
                 (equal lengths in input order)"
            ));
        }
    }
    Ok(())
}

// ---------------------------------------------------------------- robust

#[test]
fn robust_thousands_of_equal_lengths_keep_their_input_order() {
    // Small inputs are sorted by insertion, which is stable anyway: only a
    // large input shows an unstable sort (or a reversed ascending one).
    let mut rng = rng_for("robust_thousands_of_equal_lengths");
    let lengths = sequences::uniform_lengths(&mut rng, 5000, 1..=3);
    let seqs = sequences::sequences_of_lengths(&mut rng, &lengths);
    let expected = oracle::batches(&seqs, 64, 0, BatchOrder::LongestFirst).expect("valid batch size");
    let actual =
        subject_batches(seqs.clone(), 64, 0, BatchOrder::LongestFirst).expect("batch size 64 is valid");
    if let Err(message) = check_longest_first_invariants(&seqs, &actual) {
        panic!("5000 sequences of lengths 1 to 3: {message}");
    }
    assert_batches(&actual, &expected, "5000 sequences of lengths 1 to 3");
}

#[test]
fn robust_one_huge_sequence_among_short_ones() {
    let mut rng = rng_for("robust_one_huge_sequence");
    let mut lengths = sequences::uniform_lengths(&mut rng, 100, 0..=8);
    lengths[37] = 200_000;
    let seqs = sequences::sequences_of_lengths(&mut rng, &lengths);
    for order in BOTH_ORDERS {
        let expected = oracle::batches(&seqs, 4, 1, order).expect("valid batch size");
        let actual = subject_batches(seqs.clone(), 4, 1, order).expect("batch size 4 is valid");
        assert_batches(&actual, &expected, &format!("{order:?}, a 200,000-token sequence among short ones"));
    }
}

#[test]
fn robust_extreme_token_and_pad_ids() {
    let seqs = vec![vec![u32::MAX, 0], vec![u32::MAX], vec![]];
    for pad_id in [0, u32::MAX] {
        let expected = oracle::pad_rows(&seqs, &[0, 1, 2], pad_id);
        assert_batches(&[subject_pad(seqs.clone(), pad_id)], &[expected], &format!("pad id {pad_id}"));
    }
}

#[test]
fn robust_any_as_ref_slice_input_is_accepted() {
    let owned = statement_sequences();
    let expected_pad = oracle::pad_rows(&owned, &[0, 1, 2, 3, 4], 0);
    let expected = oracle::batches(&owned, 2, 0, BatchOrder::LongestFirst).expect("valid batch size");
    let (pad_from_slices, from_boxes, from_arrays) = grade::run(EXERCISE, move || {
        let slices: Vec<&[u32]> = owned.iter().map(Vec::as_slice).collect();
        let boxes: Vec<Box<[u32]>> = owned.iter().map(|seq| seq.clone().into_boxed_slice()).collect();
        let arrays = [[1_u32, 2], [3, 4]];
        (
            pad_batch(&slices, 0),
            collect_batches(&boxes, 2, 0, BatchOrder::LongestFirst),
            pad_batch(&arrays, 0),
        )
    });
    assert_batches(&[pad_from_slices], &[expected_pad], "pad_batch of &[u32] slices");
    assert_batches(&from_boxes.expect("batch size 2 is valid"), &expected, "padded_batches of Box<[u32]>");
    let arrays = batch(array![[1, 2], [3, 4]], array![[1, 1], [1, 1]], &[2, 2], &[0, 1]);
    assert_batches(&[from_arrays], &[arrays], "pad_batch of [u32; 2] arrays");
}

#[test]
fn robust_input_order_is_lazy_one_batch_per_next() {
    check_laziness(BatchOrder::Input);
}

#[test]
fn robust_longest_first_is_lazy_one_batch_per_next() {
    check_laziness(BatchOrder::LongestFirst);
}

/// The statement's laziness rule, watched: `padded_batches` allocates no
/// more than bookkeeping (less than one padded batch); each `next()` reads
/// only its own batch's sequences and allocates a small multiple of that
/// batch, so an eager answer (all batches at the call, or at the first
/// `next()`) fails one check or the other.
fn check_laziness(order: BatchOrder) {
    const COUNT: usize = 2048;
    const BATCH_SIZE: usize = 64;
    const LONGEST: usize = 4096;
    let mut rng = rng_for(&format!("laziness {order:?}"));
    let lengths = sequences::uniform_lengths(&mut rng, COUNT, LONGEST / 2..=LONGEST);
    let seqs = sequences::sequences_of_lengths(&mut rng, &lengths);
    let expected = oracle::batches(&seqs, BATCH_SIZE, 0, order).expect("valid batch size");
    let bookkeeping = 64 * (COUNT + LONGEST + 1) + (64 << 10);
    let smallest_batch = expected.iter().map(padded_bytes).min().unwrap_or(0);
    assert!(bookkeeping < smallest_batch, "test bug: one batch must outweigh the bookkeeping allowance");
    let outcome = grade::run(EXERCISE, move || -> Result<(), String> {
        kata::alloc::check_active()?;
        let (watched, reads) = Watched::wrap(seqs);
        let (batches, bytes) =
            kata::alloc::bytes_allocated_by(|| padded_batches(&watched, BATCH_SIZE, 0, order));
        let mut batches = batches.map_err(|error| format!("batch size {BATCH_SIZE}: {error:?}"))?;
        if bytes > bookkeeping {
            return Err(format!(
                "padded_batches allocated {bytes} bytes before the first next(), more than the \
                 bookkeeping allowance ({bookkeeping} bytes for {COUNT} sequences of at most {LONGEST} \
                 tokens; one padded batch is at least {smallest_batch}): pad each batch in next()"
            ));
        }
        let mut before = Watched::snapshot(&reads);
        for (number, want) in expected.iter().enumerate() {
            let (got, bytes) = kata::alloc::bytes_allocated_by(|| batches.next());
            let got = got.ok_or_else(|| format!("next() number {number} gave None, expected a batch"))?;
            let after = Watched::snapshot(&reads);
            let members: HashSet<usize> = want.indices.iter().copied().collect();
            let strangers: Vec<usize> = (0..COUNT)
                .filter(|&index| after[index] != before[index] && !members.contains(&index))
                .collect();
            if !strangers.is_empty() {
                return Err(format!(
                    "next() number {number} read {} sequences outside its batch (e.g. {:?}): each \
                     next() builds one batch from its own sequences",
                    strangers.len(),
                    &strangers[..strangers.len().min(5)]
                ));
            }
            let budget = 6 * padded_bytes(want) + bookkeeping;
            if bytes > budget {
                return Err(format!(
                    "next() number {number} allocated {bytes} bytes for a batch of {} bytes (budget \
                     {budget}): build one batch per next(), not all of them at once",
                    padded_bytes(want)
                ));
            }
            if let Some(difference) = batch_difference(&got, want) {
                return Err(format!("batch {number}: {difference}"));
            }
            before = after;
        }
        match batches.next() {
            Some(extra) => Err(format!("an extra batch after the last one: indices {:?}", extra.indices)),
            None => Ok(()),
        }
    });
    if let Err(message) = outcome {
        panic!("{order:?}, {COUNT} sequences of {} to {LONGEST} tokens: {message}", LONGEST / 2);
    }
}

/// The bytes of a batch's padded `ids` and `mask`.
fn padded_bytes(batch: &Batch) -> usize {
    batch.ids.len() * (size_of::<u32>() + size_of::<u8>())
}

/// A sequence that counts the `as_ref()` calls made on it.
#[derive(Debug)]
struct Watched {
    index: usize,
    tokens: Vec<u32>,
    reads: Arc<[AtomicUsize]>,
}

impl Watched {
    /// Wraps each sequence; the counters are shared, one per sequence.
    fn wrap(seqs: Vec<Vec<u32>>) -> (Vec<Watched>, Arc<[AtomicUsize]>) {
        let reads: Arc<[AtomicUsize]> = seqs.iter().map(|_| AtomicUsize::new(0)).collect();
        let watched = seqs
            .into_iter()
            .enumerate()
            .map(|(index, tokens)| Watched { index, tokens, reads: Arc::clone(&reads) })
            .collect();
        (watched, reads)
    }

    fn snapshot(reads: &[AtomicUsize]) -> Vec<usize> {
        reads.iter().map(|count| count.load(Ordering::Relaxed)).collect()
    }
}

impl AsRef<[u32]> for Watched {
    fn as_ref(&self) -> &[u32] {
        self.reads[self.index].fetch_add(1, Ordering::Relaxed);
        &self.tokens
    }
}

// ---------------------------------------------------------------- scale

#[test]
fn scale_a_million_short_sequences_in_input_order() {
    check_a_million_short_sequences(BatchOrder::Input);
}

#[test]
fn scale_a_million_short_sequences_longest_first() {
    check_a_million_short_sequences(BatchOrder::LongestFirst);
}

fn check_a_million_short_sequences(order: BatchOrder) {
    let mut rng = rng_for(&format!("scale_a_million {order:?}"));
    let lengths = sequences::uniform_lengths(&mut rng, 1_000_000, 0..=16);
    let seqs = Arc::new(sequences::sequences_of_lengths(&mut rng, &lengths));
    let expected = oracle::batches(&seqs, 32, 0, order).expect("valid batch size");
    let subject_seqs = Arc::clone(&seqs);
    let actual = grade::run_within(EXERCISE, grade::SCALE_LIMIT, move || {
        collect_batches(subject_seqs.as_slice(), 32, 0, order)
    });
    let actual = actual.expect("batch size 32 is valid");
    assert_batches(&actual, &expected, &format!("{order:?}, 1,000,000 sequences of 0 to 16 tokens"));
}

#[test]
fn scale_one_batch_of_a_million_rows() {
    let mut rng = rng_for("scale_one_batch_of_a_million_rows");
    let lengths = sequences::uniform_lengths(&mut rng, 1_000_000, 0..=16);
    let seqs = Arc::new(sequences::sequences_of_lengths(&mut rng, &lengths));
    let rows: Vec<usize> = (0..seqs.len()).collect();
    let expected = oracle::pad_rows(&seqs, &rows, 0);
    let subject_seqs = Arc::clone(&seqs);
    let actual =
        grade::run_within(EXERCISE, grade::SCALE_LIMIT, move || pad_batch(subject_seqs.as_slice(), 0));
    assert_batches(&[actual], &[expected], "pad_batch of 1,000,000 sequences of 0 to 16 tokens");
}
