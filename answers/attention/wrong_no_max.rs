//! Wrong: a softmax without subtracting the maximum: exp(1e6) is inf, inf/inf is NaN.
//! Fails: property_matches_the_f64_oracle: "subtract each row's maximum"

include!("../../answers/attention/common.rs");

fn rows(q: ArrayView2<f32>, k: ArrayView2<f32>, v: ArrayView2<f32>, causal: bool) -> Array2<f32> {
    let (n, m) = (q.nrows(), k.nrows());
    row_by_row(q, k, v, 1.0 / (q.ncols() as f64).sqrt(), false, |i| if causal { i + m - n + 1 } else { m })
}
