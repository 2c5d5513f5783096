//! Wrong: the causal mask written for n == m (query i sees keys 0..=i), wrong when decoding with a cache.
//! Fails: examples_causal_decoding_with_a_cache: "i + m - n"

include!("../../answers/attention/common.rs");

fn rows(q: ArrayView2<f32>, k: ArrayView2<f32>, v: ArrayView2<f32>, causal: bool) -> Array2<f32> {
    let (n, m) = (q.nrows(), k.nrows());
    row_by_row(q, k, v, 1.0 / (q.ncols() as f64).sqrt(), true, |i| if causal { (i + 1).min(n) } else { m })
}
