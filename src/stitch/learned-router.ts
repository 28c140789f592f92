/**
 * The adaptive router (R-Stitch+ without hidden states): consulted only where the entropy rule would
 * hand the answer from the SLM to the LLM, it estimates from cheap features (route-features.ts) the
 * chance that the SLM's own top token is NOT the one the LLM would write, and switches only when that
 * chance is above its cut θ. A logistic regression, trained per pair at calibration time
 * (calibrate.ts) and evaluated here in TypeScript; pure.
 */
import { FEATURE_COUNT } from "./route-features.ts";

export interface RouterWeights {
    /** Per feature (FEATURE_NAMES' order): standardisation, then the weight. */
    mean: number[];
    scale: number[];
    weights: number[];
    bias: number;
}

/** P(the SLM's top token differs from the LLM's) for one feature vector. */
export function disagreement(w: RouterWeights, x: ArrayLike<number>): number {
    let z = w.bias;
    for (let i = 0; i < w.weights.length; i++) z += w.weights[i] * ((x[i] - w.mean[i]) / w.scale[i]);
    return 1 / (1 + Math.exp(-z));
}

export interface RouterVerdict {
    switch: boolean;
    /** The estimated chance of disagreement and the cut it was compared with. */
    p: number;
    cut: number;
}

/** Switch to the LLM when the estimated disagreement is above the cut. */
export function routerVerdict(w: RouterWeights, x: ArrayLike<number>, cut: number): RouterVerdict {
    const p = disagreement(w, x);
    return { switch: p > cut, p, cut };
}

export interface TrainOptions {
    /** L2 penalty on the standardised weights (not the bias). */
    l2?: number;
    iterations?: number;
}

/**
 * Logistic regression by Newton's method (iteratively reweighted least squares) on standardised
 * features: a few dozen iterations of a FEATURE_COUNT + 1 square system, exact and fast at the tens of
 * thousands of samples a calibration collects. `y[i]` is 1 where the models disagreed.
 */
export function trainRouter(xs: readonly ArrayLike<number>[], y: readonly number[], options: TrainOptions = {}): RouterWeights {
    const n = xs.length;
    const d = xs[0]?.length ?? FEATURE_COUNT;
    const l2 = options.l2 ?? 1;
    const mean = new Array<number>(d).fill(0);
    const scale = new Array<number>(d).fill(0);
    for (const x of xs) for (let j = 0; j < d; j++) mean[j] += x[j] / Math.max(1, n);
    for (const x of xs) for (let j = 0; j < d; j++) scale[j] += (x[j] - mean[j]) ** 2 / Math.max(1, n);
    for (let j = 0; j < d; j++) scale[j] = Math.sqrt(scale[j]) || 1;
    const z = xs.map((x) => Array.from({ length: d }, (_, j) => (x[j] - mean[j]) / scale[j]));

    // Parameters: d weights then the bias.
    const k = d + 1;
    const beta = new Array<number>(k).fill(0);
    const positives = y.reduce((a, v) => a + v, 0);
    beta[d] = Math.log((positives + 0.5) / (n - positives + 0.5));
    // Penalised negative log-likelihood.
    const loss = (b: number[]): number => {
        let total = 0;
        for (let i = 0; i < n; i++) {
            let s = b[d];
            for (let j = 0; j < d; j++) s += b[j] * z[i][j];
            // log(1 + e^s) − y·s, computed without overflow.
            total += (s > 0 ? s + Math.log1p(Math.exp(-s)) : Math.log1p(Math.exp(s))) - y[i] * s;
        }
        for (let j = 0; j < d; j++) total += (l2 / 2) * b[j] * b[j];
        return total;
    };
    for (let it = 0; it < (options.iterations ?? 30); it++) {
        const grad = new Array<number>(k).fill(0);
        const hess = Array.from({ length: k }, () => new Array<number>(k).fill(0));
        for (let i = 0; i < n; i++) {
            const zi = z[i];
            let s = beta[d];
            for (let j = 0; j < d; j++) s += beta[j] * zi[j];
            const p = 1 / (1 + Math.exp(-s));
            const r = p - y[i];
            const w = Math.max(p * (1 - p), 1e-9);
            for (let a = 0; a < k; a++) {
                const xa = a < d ? zi[a] : 1;
                grad[a] += r * xa;
                for (let b = a; b < k; b++) hess[a][b] += w * xa * (b < d ? zi[b] : 1);
            }
        }
        for (let a = 0; a < k; a++) {
            for (let b = 0; b < a; b++) hess[a][b] = hess[b][a];
            if (a < d) {
                grad[a] += l2 * beta[a];
                hess[a][a] += l2;
            }
        }
        const step = solve(hess, grad);
        // Backtracking: a full Newton step can overshoot where the classes nearly separate.
        const before = loss(beta);
        let t = 1;
        let trial = beta.map((b, a) => b - step[a]);
        while (loss(trial) > before && t > 1e-6) {
            t /= 2;
            trial = beta.map((b, a) => b - t * step[a]);
        }
        let change = 0;
        for (let a = 0; a < k; a++) {
            change = Math.max(change, Math.abs(trial[a] - beta[a]));
            beta[a] = trial[a];
        }
        if (change < 1e-8) break;
    }
    return { mean, scale, weights: beta.slice(0, d), bias: beta[d] };
}

/** Solves A x = b by Gaussian elimination with partial pivoting (A is small and positive definite). */
function solve(a: number[][], b: number[]): number[] {
    const n = b.length;
    const m = a.map((row, i) => [...row, b[i]]);
    for (let c = 0; c < n; c++) {
        let pivot = c;
        for (let r = c + 1; r < n; r++) if (Math.abs(m[r][c]) > Math.abs(m[pivot][c])) pivot = r;
        [m[c], m[pivot]] = [m[pivot], m[c]];
        const v = m[c][c] || 1e-12;
        for (let r = c + 1; r < n; r++) {
            const f = m[r][c] / v;
            if (f !== 0) for (let j = c; j <= n; j++) m[r][j] -= f * m[c][j];
        }
    }
    const x = new Array<number>(n).fill(0);
    for (let r = n - 1; r >= 0; r--) {
        let s = m[r][n];
        for (let j = r + 1; j < n; j++) s -= m[r][j] * x[j];
        x[r] = s / (m[r][r] || 1e-12);
    }
    return x;
}
