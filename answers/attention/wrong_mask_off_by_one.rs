//! Wrong: the causal mask lets query i see one key too many.
//! Fails: examples_causal_mask_lower_triangle: "query 0 sees key 0 only"

include!("../../answers/attention/common.rs");

fn rows(q: ArrayView2<f32>, k: ArrayView2<f32>, v: ArrayView2<f32>, causal: bool) -> Array2<f32> {
    let (n, m) = (q.nrows(), k.nrows());
    row_by_row(q, k, v, 1.0 / (q.ncols() as f64).sqrt(), true, |i| if causal { (i + m - n + 2).min(m) } else { m })
}
