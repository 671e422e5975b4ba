/**
 * How an exception's scope reads, everywhere (CLI, banner, approvals panel, gate lines):
 * "auth-service v2.2.1, payment-service", or "every service" when it names none.
 */
export function servicesInScope(services: readonly string[] | undefined, versions?: Record<string, string>): string {
  if (!services || services.length === 0) return 'every service';
  return services
    .map((service) => (versions?.[service] ? `${service} v${versions[service]!.replace(/^v/, '')}` : service))
    .join(', ');
}
