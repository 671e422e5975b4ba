import type { HealthStatus } from '../../../../shared/matrix';

/** Colour and words for a health status: never colour alone. */
export const statusStyle: Record<HealthStatus, { color: string; label: string; symbol: string }> = {
  up: { color: 'teal', label: 'up', symbol: '●' },
  degraded: { color: 'yellow', label: 'degraded', symbol: '◐' },
  down: { color: 'red', label: 'down', symbol: '✕' },
  unreachable: { color: 'orange', label: 'unreachable', symbol: '○' },
  unknown: { color: 'gray', label: 'unknown', symbol: '?' },
};

/** "12 s ago", "5 min ago", "3 h ago". */
export function ageText(iso: string | undefined, now: number): string {
  if (!iso) return 'never';
  const seconds = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (seconds < 60) return `${seconds} s ago`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min ago`;
  if (seconds < 86_400) return `${Math.round(seconds / 3600)} h ago`;
  return `${Math.round(seconds / 86_400)} d ago`;
}
