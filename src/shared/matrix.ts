/**
 * The service matrix as it crosses to the renderer: cells (service × environment) and the
 * repository state of each service. Plain types and lists, no zod, so the renderer can import it.
 */

export const healthStatuses = ['up', 'degraded', 'down', 'unreachable', 'unknown'] as const;
export type HealthStatus = (typeof healthStatuses)[number];
