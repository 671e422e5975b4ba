/**
 * Four-eyes requests (hotfix exceptions, gate overrides), fed by `approvals:list` and reloaded
 * whenever the ledger gains a request or a decision. A new pending request from someone else
 * raises a desktop notification, once.
 */
import { create } from 'zustand';
import { servicesInScope } from '../../../shared/approval-text';
import type { ApprovalView } from '../../../shared/contract';

export interface ApprovalsStoreState {
  approvals: ApprovalView[];
  /** Ids already seen pending, so each request notifies once. */
  seenPending: string[];
  setApprovals(approvals: ApprovalView[], me?: string): void;
}

export const useApprovalsStore = create<ApprovalsStoreState>((set, get) => ({
  approvals: [],
  seenPending: [],
  setApprovals: (approvals, me) => {
    const { seenPending } = get();
    const isFirstLoad = seenPending.length === 0 && get().approvals.length === 0;
    const pending = approvals.filter((approval) => approval.status === 'pending');
    const fresh = pending.filter((approval) => !seenPending.includes(approval.id) && approval.requestedBy !== me);
    if (!isFirstLoad) for (const approval of fresh) notify(approval);
    set({ approvals, seenPending: [...new Set([...seenPending, ...pending.map((approval) => approval.id)])] });
  },
}));

/** "hotfix exception for auth-service v2.2.1" / "override of ci:auth-service". */
export function describeApproval(approval: ApprovalView): string {
  if (approval.kind === 'gate-override') return `override of ${approval.gates.join(', ')}`;
  return `hotfix exception for ${servicesInScope(approval.services, approval.versions)}`;
}

function notify(approval: ApprovalView) {
  if (typeof Notification === 'undefined') return;
  const show = () =>
    new Notification('Approval requested', {
      body: `${approval.requestedBy} asks for a ${describeApproval(approval)} on ${approval.environment}: ${approval.reason}`,
      tag: approval.id,
    });
  if (Notification.permission === 'granted') show();
  else if (Notification.permission === 'default')
    void Notification.requestPermission().then((permission) => permission === 'granted' && show());
}
