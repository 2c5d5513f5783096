//! Right: one query row at a time (O(m) memory), scores and softmax in f64.

include!("../../answers/attention/common.rs");

fn rows(q: ArrayView2<f32>, k: ArrayView2<f32>, v: ArrayView2<f32>, causal: bool) -> Array2<f32> {
    let (n, m) = (q.nrows(), k.nrows());
    let scale = 1.0 / (q.ncols() as f64).sqrt();
    let mut out = Array2::zeros((n, v.ncols()));
    for i in 0..n {
        let visible = if causal { i + m - n + 1 } else { m };
        let scores: Vec<f64> = (0..visible).map(|j| dot(q, i, k, j) * scale).collect();
        let max = scores.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let mut acc = vec![0.0_f64; v.ncols()];
        let mut total = 0.0;
        for (j, s) in scores.iter().enumerate() {
            let w = (s - max).exp();
            total += w;
            acc.iter_mut().zip(v.row(j)).for_each(|(a, &x)| *a += w * f64::from(x));
        }
        out.row_mut(i).iter_mut().zip(acc).for_each(|(o, a)| *o = (a / total) as f32);
    }
    out
}
