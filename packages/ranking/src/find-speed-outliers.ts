import { median } from "./order-statistics.ts";

export interface TimedWork {
  /** What the time belongs to: an annotation, or an annotator's median time. */
  id: string;
  seconds: number;
}

export interface FindSpeedOutliersOptions {
  durations: readonly TimedWork[];
  /** |robust z| above this is an outlier; 3.5 is Iglewicz & Hoaglin's recommendation. */
  threshold?: number;
  /**
   * `log` (default) scores log-seconds: time on task is right-skewed and "three times faster
   * than usual" matters more than "40 s faster", so outliers are judged multiplicatively.
   */
  scale?: "log" | "linear";
  /**
   * Besides |robust z| > threshold, an outlier must be at least this many seconds from the median
   * (default 1) and at least `minRatio` times faster or slower than it (default 1.5). Without the
   * gaps, peers with near-identical times make the spread tiny and any difference "extreme": an
   * annotator at 0.4 s beside peers at 0.3 s was flagged slow.
   */
  minGapSeconds?: number;
  minRatio?: number;
}

export interface SpeedScore {
  id: string;
  seconds: number;
  /** Modified z-score 0.6745·(x − median)/MAD; `null` if the spread is zero or undefined. */
  robustZ: number | null;
  outlier: "fast" | "slow" | null;
}

/**
 * Flags suspiciously fast (click-through) or slow work with the modified z-score of Iglewicz &
 * Hoaglin (1993), which uses the median and the median absolute deviation (MAD) so that the
 * outliers being hunted cannot mask themselves by inflating a mean and standard deviation.
 * When more than half the values are identical the MAD is 0; the mean absolute deviation
 * (scaled by 0.7979 ≈ √(2/π)) then stands in, as in IBM SPSS's version of the score.
 */
export function findSpeedOutliers(options: FindSpeedOutliersOptions): SpeedScore[] {
  const { durations, threshold = 3.5, scale = "log", minGapSeconds = 1, minRatio = 1.5 } = options;
  for (const { id, seconds } of durations) {
    if (!(seconds > 0) || !Number.isFinite(seconds)) throw new RangeError(`duration of ${id} must be positive, got ${seconds}`);
  }
  const values = durations.map(({ seconds }) => (scale === "log" ? Math.log(seconds) : seconds));
  const center = median(values);
  const medianSeconds = median(durations.map(({ seconds }) => seconds));
  const deviations = values.map((value) => Math.abs(value - center));
  const mad = median(deviations);
  const meanAbsoluteDeviation = deviations.reduce((total, value) => total + value, 0) / Math.max(1, deviations.length);
  // Both spreads are scaled to estimate σ for normal data: σ ≈ MAD/0.6745 ≈ MeanAD/0.7979.
  const sigma = mad > 0 ? mad / 0.6745 : meanAbsoluteDeviation / 0.7979;

  return durations.map(({ id, seconds }, index) => {
    if (!(sigma > 0)) return { id, seconds, robustZ: null, outlier: null };
    const robustZ = (values[index]! - center) / sigma;
    const farEnough = Math.abs(seconds - medianSeconds) >= minGapSeconds && Math.max(seconds / medianSeconds, medianSeconds / seconds) >= minRatio;
    const outlier = !farEnough ? null : robustZ < -threshold ? "fast" : robustZ > threshold ? "slow" : null;
    return { id, seconds, robustZ, outlier };
  });
}
