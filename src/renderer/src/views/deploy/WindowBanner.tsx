import { Alert, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { WindowState } from '../../../../shared/contract';
import type { CockpitClient } from '../../ipc/client';

function countdown(seconds: number): string {
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const rest = seconds % 60;
  return hours > 0
    ? `${hours} h ${String(minutes).padStart(2, '0')} min`
    : `${minutes} min ${String(rest).padStart(2, '0')} s`;
}

/** The environment's deployment window: open with a countdown to its close, or closed with why and the next opening. */
export function WindowBanner({ client, environment }: { client: CockpitClient; environment: string }) {
  const [state, setState] = useState<WindowState>();
  const [elapsed, setElapsed] = useState(0);

  useEffect(() => {
    let isCurrent = true;
    const load = () =>
      void client.invoke('policy:window', { environment }).then((reply) => {
        if (!isCurrent || !reply.ok) return;
        setState(reply.value);
        setElapsed(0);
      });
    load();
    // Re-asked every minute (the window may open or close); the countdown ticks every second.
    const refresh = setInterval(load, 60_000);
    const tick = setInterval(() => setElapsed((value) => value + 1), 1_000);
    return () => {
      isCurrent = false;
      clearInterval(refresh);
      clearInterval(tick);
    };
  }, [client, environment]);

  if (!state || !state.hasWindows) return null;
  const left = Math.max(0, (state.secondsLeft ?? 0) - elapsed);
  return (
    <Alert
      color={state.isOpen ? 'teal' : 'yellow'}
      title={state.isOpen ? `${environment}: deployment window open` : `${environment}: deployment window closed`}
      data-testid="deploy-window"
    >
      <Text size="sm">
        {state.reason}{' '}
        {state.isOpen
          ? `Closes in ${countdown(left)}.`
          : state.nextOpensAt
            ? `Next window: ${new Date(state.nextOpensAt).toLocaleString()} (${state.nextOpensAt}).`
            : 'No window opens in the next 400 days.'}
      </Text>
      <Text size="xs" c="dimmed">
        Windows: {state.slots.join('; ')} ({state.timeZone})
      </Text>
    </Alert>
  );
}
