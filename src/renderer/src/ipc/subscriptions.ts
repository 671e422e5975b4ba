/**
 * The one place where the core's events and first answers enter the renderer's stores.
 */
import { useApprovalsStore } from '../stores/approvals-store';
import { useConnectionStore } from '../stores/connection-store';
import { useCredentialsStore } from '../stores/credentials-store';
import { useDeployStore } from '../stores/deploy-store';
import { acknowledge, setAcknowledgementSender, writeBatch, writeNotice } from '../terminal/terminal-registry';
import { useLedgerStore } from '../stores/ledger-store';
import { useMatrixStore } from '../stores/matrix-store';
import { usePlatformStore } from '../stores/platform-store';
import { useOutboxStore } from '../stores/outbox-store';
import { useRollbackStore } from '../stores/rollback-store';
import { useRotationStore } from '../stores/rotation-store';
import { useTeamStore } from '../stores/team-store';
import { useWatchStore } from '../stores/watch-store';
import type { CockpitClient } from './client';
import { acknowledgeOnPort, onLogPort, readLogPort, type LogPort } from './log-ports';

/** Loads the initial state and listens to events; returns the function that stops everything. */
export function startSubscriptions(client: CockpitClient, now: () => number = Date.now): () => void {
  const connection = useConnectionStore.getState();
  const platform = usePlatformStore.getState();
  const credentials = useCredentialsStore.getState();
  let isActive = true;

  const loadCredentials = async () => {
    const reply = await client.invoke('credentials:list', {});
    if (!isActive) return;
    if (reply.ok) credentials.setList(reply.value);
    else credentials.setLoadError(reply.error.code === 'NO_PLATFORM' ? undefined : reply.error.message);
  };

  const loadDeployRuns = async () => {
    const reply = await client.invoke('deploy:runs', {});
    if (isActive && reply.ok) useDeployStore.getState().setRuns(reply.value);
  };

  const loadOutbox = async () => {
    const reply = await client.invoke('comms:outbox', {});
    if (isActive && reply.ok) useOutboxStore.getState().setMessages(reply.value.messages);
  };

  const loadRotations = async () => {
    const reply = await client.invoke('rotation:list', {});
    if (isActive && reply.ok) useRotationStore.getState().setSecrets(reply.value.secrets);
  };

  const loadWatches = async () => {
    const reply = await client.invoke('watch:list', {});
    if (isActive && reply.ok) useWatchStore.getState().setWatches(reply.value.watches);
  };

  let me: string | undefined;
  const loadApprovals = async () => {
    if (me === undefined) {
      const identity = await client.invoke('policy:identity', {});
      if (identity.ok) me = identity.value.name;
    }
    const reply = await client.invoke('approvals:list', {});
    if (isActive && reply.ok) useApprovalsStore.getState().setApprovals(reply.value.approvals, me);
  };

  const loadMatrix = async () => {
    const reply = await client.invoke('matrix:get', {});
    if (isActive && reply.ok) useMatrixStore.getState().setSnapshot(reply.value);
  };

  // A run's log comes from main (`deploy:log`) or, in the desktop app, straight from the log
  // process on a port: its acknowledgements go back the way its batches came.
  const logPortOfRun = new Map<string, LogPort>();
  const logPorts = new Set<LogPort>();
  setAcknowledgementSender((runId, characters) => {
    const port = logPortOfRun.get(runId);
    if (port) acknowledgeOnPort(port, runId, characters);
    else void client.invoke('deploy:log-ack', { runId, characters });
  });
  const receiveLog = (runId: string, chunks: { service: string; text: string }[]) => {
    if (useDeployStore.getState().runId === runId) writeBatch(runId, chunks);
    // A run nobody follows here is acknowledged at once, so its log is never held back.
    else
      acknowledge(
        runId,
        chunks.reduce((sum, chunk) => sum + chunk.text.length, 0),
      );
  };
  const stopLogPorts = onLogPort(window, (port) => {
    logPorts.add(port);
    readLogPort(port, (runId, chunks) => {
      logPortOfRun.set(runId, port);
      receiveLog(runId, chunks);
    });
  });
  void client.invoke('app:info', {}).then((reply) => {
    if (!isActive) return;
    if (reply.ok) connection.setAppInfo(reply.value);
    else connection.setInfoError(reply.error.message);
  });
  const loadEverything = () =>
    void client.invoke('platform:current', {}).then((reply) => {
      if (!isActive || !reply.ok) return;
      platform.setCurrent(reply.value);
      if (reply.value.platform) {
        void loadCredentials();
        void loadMatrix();
        void loadDeployRuns();
        void loadOutbox();
        void loadRotations();
        void loadWatches();
        void loadApprovals();
        void client
          .invoke('team:status', {})
          .then((reply) => isActive && reply.ok && useTeamStore.getState().setSync(reply.value));
      }
    });
  loadEverything();

  // A lost link is said at once on every view; once it is back, everything is read again.
  let wasLost = false;
  const unsubscribers = [
    client.onConnection((isConnected) => {
      connection.setLinkLost(!isConnected, now());
      if (isConnected && wasLost) loadEverything();
      wasLost = !isConnected;
    }),
    client.on('app:heartbeat', () => connection.recordHeartbeat(now())),
    client.on('platform:changed', (state) => {
      platform.setCurrent(state);
      if (state.platform) {
        void loadMatrix();
        void loadDeployRuns();
      }
    }),
    client.on('matrix:cells-changed', ({ cells, connectivity, asOf }) =>
      useMatrixStore.getState().applyCells(cells, connectivity, asOf),
    ),
    client.on('matrix:rows-changed', ({ rows }) => useMatrixStore.getState().applyRows(rows)),
    client.on('deploy:step-changed', ({ runId, step }) => useDeployStore.getState().stepChanged(runId, step)),
    client.on('deploy:log', ({ runId, chunks }) => {
      // From main: the log process has no port to this window (or stopped), or its own lines.
      logPortOfRun.delete(runId);
      receiveLog(runId, chunks);
    }),
    client.on('deploy:finished', ({ runId, status, detail }) => {
      useDeployStore.getState().finished(runId, status, detail);
      if (useDeployStore.getState().runId === runId) writeNotice(detail);
    }),
    client.on('rollback:progress', (update) => useRollbackStore.getState().progressed(update)),
    client.on('comms:outbox-changed', ({ messages }) => useOutboxStore.getState().setMessages(messages)),
    client.on('watch:changed', ({ watches }) => useWatchStore.getState().setWatches(watches)),
    client.on('watch:alerted', (alert) => useWatchStore.getState().alerted(alert)),
    client.on('rollback:output', ({ rollbackId, text }) => useRollbackStore.getState().appendOutput(rollbackId, text)),
    client.on('credentials:changed', (list) => credentials.setList(list)),
    client.on('team:sync-changed', (state) => {
      useTeamStore.getState().setSync(state);
      // Another laptop's requests and decisions arrive with a sync.
      void loadApprovals();
    }),
    client.on('ledger:appended', ({ records }) => {
      useLedgerStore.getState().noteAppended();
      if (records.some((record) => record.action === 'approval.requested' || record.action === 'approval'))
        void loadApprovals();
    }),
    client.on('ledger:verified', (verification) => useLedgerStore.getState().setVerification(verification)),
  ];
  return () => {
    isActive = false;
    setAcknowledgementSender(undefined);
    stopLogPorts();
    for (const port of logPorts) port.close();
    for (const unsubscribe of unsubscribers) unsubscribe();
  };
}
