/**
 * How a KPI is stated: its value rounded, its target and whether it is met (only over enough
 * cases), and the statistics behind it (mean, median, nearest-rank percentile).
 */
import type { Kpi } from './metrics';

/** Fewer cases than this say nothing about a target: one failed deploy is not a 100 % failure rate. */
export const fewestToJudge = 3;

export function rate(
  id: Kpi['id'],
  title: string,
  part: number,
  whole: number,
  target: { above?: number; below?: number },
  detail: string,
): Kpi {
  const value = whole > 0 ? round((100 * part) / whole) : undefined;
  return { id, title, unit: '%', ...targetOf(value, target, '%'), ...(value !== undefined ? { value } : {}), detail };
}

export function measure(
  id: Kpi['id'],
  title: string,
  raw: number | undefined,
  unit: Kpi['unit'],
  scale: number,
  target: { above?: number; below?: number } = {},
): Omit<Kpi, 'detail'> {
  const value = raw === undefined ? undefined : round(raw / scale);
  return { id, title, unit, ...targetOf(value, target, ` ${unit}`), ...(value !== undefined ? { value } : {}) };
}

/** A KPI over too few cases keeps its value but is not called on or off target. */
export function judged(kpi: Kpi, cases: [number, string] | undefined): Kpi {
  if (!cases || kpi.isMet === undefined || cases[0] >= fewestToJudge) return kpi;
  const { isMet: _unjudged, ...rest } = kpi;
  const [count, noun] = cases;
  return { ...rest, caveat: `${count} ${noun}${count === 1 ? '' : 's'}: too few to judge against the target` };
}

export function targetOf(value: number | undefined, target: { above?: number; below?: number }, suffix: string) {
  if (target.above !== undefined)
    return { target: `> ${target.above}${suffix}`, ...(value !== undefined ? { isMet: value > target.above } : {}) };
  if (target.below !== undefined)
    return { target: `< ${target.below}${suffix}`, ...(value !== undefined ? { isMet: value < target.below } : {}) };
  return {};
}

export function mean(values: number[]): number | undefined {
  return values.length === 0 ? undefined : values.reduce((sum, value) => sum + value, 0) / values.length;
}

export function median(values: number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Nearest-rank percentile. */
export function percentile(values: number[], rank: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((rank / 100) * sorted.length) - 1)];
}

export function round(value: number): number {
  return Math.round(value * 100) / 100;
}
