/**
 * The renderer's Content-Security-Policy, one definition for the app window and the loopback bridge.
 *
 * Scripts only from the app itself: no inline script, no eval, no remote origin. Styles allow
 * inline `<style>` because the UI kit injects its CSS variables that way; style injection cannot
 * run code. The only thing that may differ between transports is where the page may connect.
 */

/** Builds the policy; `connectSources` lists the extra origins the page may connect to. */
export function contentSecurityPolicy(connectSources: readonly string[] = []): string {
  const directives: Record<string, string[]> = {
    'default-src': ["'none'"],
    'script-src': ["'self'"],
    'style-src': ["'self'", "'unsafe-inline'"],
    'img-src': ["'self'", 'data:'],
    'font-src': ["'self'", 'data:'],
    'connect-src': ["'self'", ...connectSources],
    'worker-src': ["'self'"],
    'manifest-src': ["'self'"],
    'base-uri': ["'none'"],
    'form-action': ["'none'"],
    'frame-ancestors': ["'none'"],
    'frame-src': ["'none'"],
    'object-src': ["'none'"],
  };
  return Object.entries(directives)
    .map(([name, sources]) => `${name} ${sources.join(' ')}`)
    .join('; ');
}
