/**
 * The open view and the Matrix's selected service live in the page's address (`#/deploy`,
 * `#/matrix/auth-service`), so a reload — or the browser mode's URL given to a colleague with its
 * token — opens the same place. The query (the bridge's token) is never touched.
 */
import { useMatrixStore } from '../stores/matrix-store';
import { useViewStore } from '../stores/view-store';
import { viewIds, type ViewId } from '../views/view-catalog';

function parse(hash: string): { view?: ViewId; service?: string } {
  const [view, service] = hash.replace(/^#\/?/, '').split('/');
  if (!view || !(viewIds as readonly string[]).includes(view)) return {};
  return {
    view: view as ViewId,
    ...(view === 'matrix' && service && /^[a-z][a-z0-9-]*$/.test(service) ? { service } : {}),
  };
}

function hashOf(view: ViewId, service: string | undefined): string {
  return view === 'matrix' && service ? `#/matrix/${service}` : `#/${view}`;
}

/** Opens the place the address names, then keeps the address in step; returns the unsubscriber. */
export function syncLocation(): () => void {
  const initial = parse(window.location.hash);
  if (initial.view) useViewStore.getState().openView(initial.view);
  if (initial.service) useMatrixStore.getState().select(initial.service);
  const write = () => {
    const hash = hashOf(useViewStore.getState().activeView, useMatrixStore.getState().selectedService);
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
