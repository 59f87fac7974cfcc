// Small statistics for benchmarks: machines are noisy, so we report medians and ratios.
export const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

export const fmt = (value, digits = 1) => value.toFixed(digits);
