//! Embeddings with near-duplicates, and thresholds that keep clear of every
//! pair's similarity, for the `dedup` exercise.

use ndarray::Array2;
use proptest::prelude::*;
use rand::rngs::StdRng;
use rand::{Rng, RngExt, SeedableRng};

use crate::oracle;

/// Rows in clusters, and which cluster each row belongs to.
#[derive(Debug, Clone)]
pub struct Clustered {
    /// One embedding per row.
    pub rows: Array2<f32>,
    /// `labels[i]` is the cluster of row `i`; clusters are numbered in order
    /// of their first row.
    pub labels: Vec<usize>,
}

impl Clustered {
    /// The first row of each cluster: what deduplication keeps when the
    /// threshold sits between the within-cluster and the between-cluster
    /// similarities.
    pub fn first_of_each_cluster(&self) -> Vec<usize> {
        let mut seen = vec![false; self.labels.len()];
        (0..self.labels.len()).filter(|&row| !std::mem::replace(&mut seen[self.labels[row]], true)).collect()
    }
}

/// `rows` embeddings of `dim` components: each row is, with probability
/// `duplicate_fraction`, a near-duplicate of a random earlier cluster (its
/// centre plus uniform noise of size `noise` per component), else the first
/// row of a new cluster (a uniform centre in `[-1, 1)^dim` plus noise).
/// Every row is then scaled by its own factor `10^u`, `u` uniform in
/// `[-spread, spread]`, so unnormalised dot products mislead.
///
/// With `noise = 0.05` members of one cluster have cosines above 0.99,
/// while independent centres in 384 dimensions stay below 0.4.
pub fn clustered_rows(
    rng: &mut impl Rng,
    rows: usize,
    dim: usize,
    duplicate_fraction: f64,
    noise: f32,
    spread: f32,
) -> Clustered {
    let mut centres: Vec<Vec<f32>> = Vec::new();
    let mut labels = Vec::with_capacity(rows);
    let mut data = Vec::with_capacity(rows * dim);
    for _ in 0..rows {
        let label = if !centres.is_empty() && rng.random_bool(duplicate_fraction) {
            rng.random_range(0..centres.len())
        } else {
            centres.push((0..dim).map(|_| rng.random_range(-1.0_f32..1.0)).collect());
            centres.len() - 1
        };
        let factor = if spread > 0.0 { 10_f32.powf(rng.random_range(-spread..=spread)) } else { 1.0 };
        data.extend(centres[label].iter().map(|&c| (c + noise * rng.random_range(-1.0_f32..1.0)) * factor));
        labels.push(label);
    }
    let rows = Array2::from_shape_vec((rows, dim), data).unwrap_or_else(|_| Array2::zeros((0, dim)));
    Clustered { rows, labels }
}

/// A threshold near `wanted` that every pair's exact similarity clears by at
/// least `margin` (the contract leaves pairs within 1e-5 of the threshold
/// free), or `None` when no such threshold lies in `[-1, 1]`.
///
/// ```
/// use kata::generate::embeddings::threshold_clear_of;
/// let t = threshold_clear_of(&[0.5, 0.9], 0.5, 1e-4).unwrap();
/// assert!((f64::from(t) - 0.5).abs() >= 1e-4 && (f64::from(t) - 0.9).abs() >= 1e-4);
/// ```
pub fn threshold_clear_of(similarities: &[f64], wanted: f32, margin: f64) -> Option<f32> {
    let clear = |t: f32| similarities.iter().all(|&s| (s - f64::from(t)).abs() >= margin);
    if clear(wanted) {
        return Some(wanted);
    }
    let mut sorted: Vec<f64> = similarities.to_vec();
    sorted.push(-1.0 - 2.0 * margin);
    sorted.push(1.0 + 2.0 * margin);
    sorted.sort_by(f64::total_cmp);
    sorted
        .windows(2)
        .filter(|pair| pair[1] - pair[0] >= 4.0 * margin)
        .map(|pair| ((pair[0] + pair[1]) / 2.0).clamp(-1.0, 1.0) as f32)
        .filter(|&t| clear(t))
        .min_by(|a, b| (a - wanted).abs().total_cmp(&(b - wanted).abs()))
}

/// A small `dedup` case: rows (some zero, some repeated, some scaled far
/// apart) and a threshold clear of every pair's similarity by 1e-4.
#[derive(Debug, Clone)]
pub struct DedupCase {
    /// The embeddings, one per row.
    pub rows: Array2<f32>,
    /// A threshold in `[-1, 1]` no pair's similarity comes within 1e-4 of.
    pub threshold: f32,
}

/// A proptest strategy for [`DedupCase`]s of up to `max_rows` rows and
/// `max_cols` columns (at least one of each), drawn from a seed so that a
/// failure replays. Rows come in clusters of varied tightness, with zero
/// rows and exact repeats now and then; thresholds span `[-1, 1]`.
pub fn dedup_case(max_rows: usize, max_cols: usize) -> impl Strategy<Value = DedupCase> {
    (any::<u64>(), 1..=max_rows, 1..=max_cols).prop_filter_map("no clear threshold", |(seed, rows, cols)| {
        let mut rng = StdRng::seed_from_u64(seed);
        let noise = [0.02_f32, 0.2, 0.8][rng.random_range(0..3)];
        let mut case = clustered_rows(&mut rng, rows, cols, 0.5, noise, 3.0).rows;
        for row in 0..rows {
            match rng.random_range(0..12) {
                0 => case.row_mut(row).fill(0.0),
                1 if row > 0 => {
                    let earlier = case.row(rng.random_range(0..row)).to_owned();
                    case.row_mut(row).assign(&earlier);
                }
                _ => {}
            }
        }
        let wanted = if rng.random_bool(0.7) {
            rng.random_range(0.5_f32..1.0)
        } else {
            rng.random_range(-1.0_f32..1.0)
        };
        let similarities = oracle::dedup::pairwise_similarities(case.view());
        threshold_clear_of(&similarities, wanted, 1e-4).map(|threshold| DedupCase { rows: case, threshold })
    })
}
