// Shared by the answers in this folder: the contract's checks, scaled
// differences, and a textbook (Numerical Recipes) regularised incomplete beta.

pub use kata_types::{StatsError, TTest};

/// The differences, or the contract's error in its order.
fn differences(a: &[f64], b: &[f64]) -> Result<Vec<f64>, StatsError> {
    if a.len() != b.len() {
        return Err(StatsError::LengthMismatch { a: a.len(), b: b.len() });
    }
    if a.len() < 2 {
        return Err(StatsError::TooFewPairs { pairs: a.len() });
    }
    let d: Vec<f64> = a.iter().zip(b).map(|(x, y)| x - y).collect();
    if d.iter().any(|x| !x.is_finite()) {
        return Err(StatsError::NonFinite);
    }
    if d.iter().all(|&x| x == d[0]) {
        return Err(StatsError::ZeroVariance);
    }
    Ok(d)
}

/// Divided by the largest |d_i|: squares can neither overflow nor underflow, and t is unchanged.
fn scaled(d: &[f64]) -> Vec<f64> {
    let largest = d.iter().fold(0.0_f64, |m, x| m.max(x.abs()));
    d.iter().map(|x| x / largest).collect()
}

/// Mean and sample variance (n − 1), two passes.
#[allow(dead_code)]
fn two_pass(d: &[f64]) -> (f64, f64) {
    let n = d.len() as f64;
    let mean = d.iter().sum::<f64>() / n;
    (mean, d.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / (n - 1.0))
}

fn ln_gamma(x: f64) -> f64 {
    const G: [f64; 9] = [
        0.9999999999998099, 676.520_368_121_885_1, -1259.1392167224028, 771.3234287776531,
        -176.6150291621406, 12.507343278686905, -0.13857109526572012,
        9.984369578019572e-6, 1.5056327351493116e-7,
    ];
    let z = x - 1.0;
    let sum = G[1..].iter().enumerate().fold(G[0], |s, (i, c)| s + c / (z + 1.0 + i as f64));
    let t = z + 7.5;
    0.5 * (2.0 * std::f64::consts::PI).ln() + (z + 0.5) * t.ln() - t + sum.ln()
}

fn beta_fraction(a: f64, b: f64, x: f64) -> f64 {
    let tiny = 1e-300;
    let (mut c, mut d) = (1.0, 1.0 - (a + b) * x / (a + 1.0));
    d = 1.0 / if d.abs() < tiny { tiny } else { d };
    let mut h = d;
    for m in 1..10_000 {
        let m = m as f64;
        for aa in [
            m * (b - m) * x / ((a + 2.0 * m - 1.0) * (a + 2.0 * m)),
            -(a + m) * (a + b + m) * x / ((a + 2.0 * m) * (a + 2.0 * m + 1.0)),
        ] {
            d = 1.0 + aa * d;
            d = 1.0 / if d.abs() < tiny { tiny } else { d };
            c = 1.0 + aa / c;
            c = if c.abs() < tiny { tiny } else { c };
            h *= d * c;
        }
        if (d * c - 1.0).abs() < 1e-16 {
            break;
        }
    }
    h
}

/// I_x(a, b), with the symmetry on the slow side.
fn incomplete_beta(a: f64, b: f64, x: f64) -> f64 {
    if x <= 0.0 {
        return 0.0;
    }
    if x >= 1.0 {
        return 1.0;
    }
    let ln_front = ln_gamma(a + b) - ln_gamma(a) - ln_gamma(b) + a * x.ln() + b * (1.0 - x).ln();
    if x < (a + 1.0) / (a + b + 2.0) {
        (ln_front.exp() * beta_fraction(a, b, x) / a).clamp(0.0, 1.0)
    } else {
        (1.0 - ln_front.exp() * beta_fraction(b, a, 1.0 - x) / b).clamp(0.0, 1.0)
    }
}

/// P(|T| ≥ |t|) for Student's t.
fn two_sided_p(t: f64, df: f64) -> f64 {
    incomplete_beta(df / 2.0, 0.5, df / (df + t * t))
}

/// The paired test from a mean and variance of the scaled differences.
#[allow(dead_code)]
fn finish(n: usize, mean: f64, variance: f64) -> TTest {
    let t = mean / (variance / n as f64).sqrt();
    let df = n as f64 - 1.0;
    TTest { t, df, p_value: two_sided_p(t, df) }
}
