/**
 * The open view and the Matrix's selection live in the page's address (`#/deploy`,
 * `#/matrix/auth-service`, `#/matrix/auth-service/production` for a cell), so a reload — or the browser mode's URL given to a colleague with its
 * token — opens the same place. The query (the bridge's token) is never touched.
 */
import { useMatrixStore } from '../stores/matrix-store';
import { useViewStore } from '../stores/view-store';
import { viewIds, type ViewId } from '../views/view-catalog';

const idPattern = /^[a-z][a-z0-9-]*$/;

function parse(hash: string): { view?: ViewId; service?: string; environment?: string } {
  const [view, service, environment] = hash.replace(/^#\/?/, '').split('/');
  if (!view || !(viewIds as readonly string[]).includes(view)) return {};
  if (view !== 'matrix' || !service || !idPattern.test(service)) return { view: view as ViewId };
  return { view, service, ...(environment && idPattern.test(environment) ? { environment } : {}) };
}

function hashOf(view: ViewId, service: string | undefined, environment: string | undefined): string {
  if (view !== 'matrix' || !service) return `#/${view}`;
  return environment ? `#/matrix/${service}/${environment}` : `#/matrix/${service}`;
}

/** Opens the place the address names, then keeps the address in step; returns the unsubscriber. */
export function syncLocation(): () => void {
  const initial = parse(window.location.hash);
  if (initial.view) useViewStore.getState().openView(initial.view);
  if (initial.service) useMatrixStore.getState().select(initial.service, initial.environment);
  const write = () => {
    const { selectedService, selectedEnvironment } = useMatrixStore.getState();
    const hash = hashOf(useViewStore.getState().activeView, selectedService, selectedEnvironment);
    if (window.location.hash !== hash) window.history.replaceState(window.history.state, '', hash);
  };
  write();
  const stopView = useViewStore.subscribe(write);
  const stopMatrix = useMatrixStore.subscribe(write);
  return () => {
    stopView();
    stopMatrix();
  };
}
