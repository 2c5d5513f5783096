//! Right: one pass over the keys per query with an online softmax in f64 (O(dv) memory).

include!("../../answers/attention/common.rs");

fn rows(q: ArrayView2<f32>, k: ArrayView2<f32>, v: ArrayView2<f32>, causal: bool) -> Array2<f32> {
    let (n, m) = (q.nrows(), k.nrows());
    let scale = 1.0 / (q.ncols() as f64).sqrt();
    let mut out = Array2::zeros((n, v.ncols()));
    for i in 0..n {
        let visible = if causal { i + m - n + 1 } else { m };
        let (mut max, mut total) = (f64::NEG_INFINITY, 0.0);
        let mut acc = vec![0.0_f64; v.ncols()];
        for j in 0..visible {
            let s = dot(q, i, k, j) * scale;
            if s > max {
                let rescale = (max - s).exp();
                total *= rescale;
                acc.iter_mut().for_each(|a| *a *= rescale);
                max = s;
            }
            let w = (s - max).exp();
            total += w;
            acc.iter_mut().zip(v.row(j)).for_each(|(a, &x)| *a += w * f64::from(x));
        }
        out.row_mut(i).iter_mut().zip(acc).for_each(|(o, a)| *o = (a / total) as f32);
    }
    out
}
