//! Wrong: no 1/√d scaling of the scores.
//! Fails: examples_scores_are_scaled_by_one_over_root_d: "without the 1/sqrt(d) scaling"

include!("../../answers/attention/common.rs");

fn rows(q: ArrayView2<f32>, k: ArrayView2<f32>, v: ArrayView2<f32>, causal: bool) -> Array2<f32> {
    let (n, m) = (q.nrows(), k.nrows());
    row_by_row(q, k, v, 1.0, true, |i| if causal { i + m - n + 1 } else { m })
}
