//! Wrong: the softmax normalises each key's column over the queries instead of each query's row over the keys.
//! Fails: robust_softmax_runs_over_the_keys: "softmax runs over the keys"

include!("../../answers/attention/common.rs");

fn rows(q: ArrayView2<f32>, k: ArrayView2<f32>, v: ArrayView2<f32>, causal: bool) -> Array2<f32> {
    let (n, m) = (q.nrows(), k.nrows());
    let scale = 1.0 / (q.ncols() as f64).sqrt();
    let seen = |i: usize, j: usize| !causal || j <= i + m - n;
    let scores = Array2::from_shape_fn((n, m), |(i, j)| if seen(i, j) { dot(q, i, k, j) * scale } else { f64::NEG_INFINITY });
    let mut weights = scores.clone();
    for mut column in weights.columns_mut() {
        let max = column.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        column.mapv_inplace(|s| if max == f64::NEG_INFINITY { 0.0 } else { (s - max).exp() });
        let total: f64 = column.sum();
        column.mapv_inplace(|w| if total > 0.0 { w / total } else { 0.0 });
    }
    weights.dot(&v.mapv(f64::from)).mapv(|x| x as f32)
}
