//! Wrong: materialises the n × m score matrix (64 MiB for the memory test's 1,024 queries × 16,384 keys) with ndarray's matrix products.
//! Fails: scale_the_score_matrix_is_never_materialised: "never materialise the n × m scores"

include!("../../answers/attention/common.rs");

fn rows(q: ArrayView2<f32>, k: ArrayView2<f32>, v: ArrayView2<f32>, causal: bool) -> Array2<f32> {
    let (n, m) = (q.nrows(), k.nrows());
    let mut scores = q.dot(&k.t()) / (q.ncols() as f32).sqrt();
    for (i, mut row) in scores.rows_mut().into_iter().enumerate() {
        let visible = if causal { i + m - n + 1 } else { m };
        row.iter_mut().skip(visible).for_each(|s| *s = f32::NEG_INFINITY);
        let max = row.iter().copied().fold(f32::NEG_INFINITY, f32::max);
        row.mapv_inplace(|s| (s - max).exp());
        let total = row.sum();
        row.mapv_inplace(|w| w / total);
    }
    scores.dot(&v)
}
