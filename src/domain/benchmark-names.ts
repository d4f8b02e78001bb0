/**
 * Names of benchmarks. XCCDF 1.2 requires ids of the form `xccdf_<reverse-DNS>_benchmark_<name>`
 * (the schema's pattern `xccdf_[^_]+_benchmark_.+`); people call such a benchmark by `<name>`, so every
 * place a benchmark is referenced accepts that short name beside the full id and the document id.
 */

const XCCDF12_BENCHMARK_ID = /^xccdf_[^_]+_benchmark_(.+)$/;

/** The `<name>` part of an XCCDF 1.2 benchmark id; undefined for ids of another form (XCCDF 1.1, DISA). */
export function benchmarkShortName(benchmarkId: string): string | undefined {
  return XCCDF12_BENCHMARK_ID.exec(benchmarkId)?.[1];
}

/** Whether `ref` names this benchmark id: the id itself or its XCCDF 1.2 short name. */
export function benchmarkIdMatches(benchmarkId: string, ref: string): boolean {
  return benchmarkId === ref || benchmarkShortName(benchmarkId) === ref;
}
