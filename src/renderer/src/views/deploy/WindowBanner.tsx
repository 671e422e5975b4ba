import { Alert, Button, Checkbox, Group, NativeSelect, Stack, Text, TextInput } from '@mantine/core';
import { useCallback, useEffect, useState } from 'react';
import { servicesInScope } from '../../../../shared/approval-text';
import type { IdentityView, WindowState } from '../../../../shared/contract';
import type { CockpitClient } from '../../ipc/client';
import { InlineError } from '../../components/InlineError';
import { useMoment } from '../../hooks/use-moment';

function countdown(seconds: number): string {
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const rest = seconds % 60;
  return hours > 0
    ? `${hours} h ${String(minutes).padStart(2, '0')} min`
    : `${minutes} min ${String(rest).padStart(2, '0')} s`;
}

/**
 * The environment's deployment window: open with a countdown to its close, or closed with why and
 * the next opening — and, for those allowed, the hotfix exception that opens it for a security
 * issue or data corruption.
 */
export function WindowBanner({
  client,
  environment,
  services,
}: {
  client: CockpitClient;
  environment: string;
  services: string[];
}) {
  const moment = useMoment();
  const [state, setState] = useState<WindowState>();
  const [identity, setIdentity] = useState<IdentityView>();
  const [elapsed, setElapsed] = useState(0);

  const load = useCallback(
    () =>
      client.invoke('policy:window', { environment }).then((reply) => {
        if (!reply.ok) return;
        setState(reply.value);
        setElapsed(0);
      }),
    [client, environment],
  );

  useEffect(() => {
    void load();
    void client.invoke('policy:identity', {}).then((reply) => reply.ok && setIdentity(reply.value));
    // Re-asked every minute (the window may open or close); the countdown ticks every second.
    const refresh = setInterval(() => void load(), 60_000);
    const tick = setInterval(() => setElapsed((value) => value + 1), 1_000);
    return () => {
      clearInterval(refresh);
      clearInterval(tick);
    };
  }, [client, load]);

  if (!state || !state.hasWindows) return null;
  const left = Math.max(0, (state.secondsLeft ?? 0) - elapsed);
  const exception = state.hotfixException;
  return (
    <Alert
      color={state.isOpen || exception ? 'teal' : 'yellow'}
      title={`${environment}: deployment window ${state.isOpen ? 'open' : 'closed'}`}
      data-testid="deploy-window"
    >
      <Text size="sm">
        {state.reason}{' '}
        {state.isOpen
          ? `Closes in ${countdown(left)}.`
          : state.nextOpensAt
            ? `Next window: ${moment(state.nextOpensAt)}.`
            : 'No window opens in the next 400 days.'}
      </Text>
      <Text size="xs" c="dimmed">
        Windows: {state.slots.join('; ')} ({state.timeZone})
      </Text>
      {exception && (
        <Text size="sm" mt="xs" data-testid="hotfix-exception">
          Open under hotfix exception for {servicesInScope(exception.services, exception.versions)} until{' '}
          {moment(exception.expiresAt)} ({exception.category}, approved by {exception.approvedBy}
          {exception.requestedBy ? `, asked by ${exception.requestedBy}` : ''}
          {exception.isIndependent ? '' : ', not independent'}): {exception.reason}.
        </Text>
      )}
      {!state.isOpen && !exception && (
        <HotfixForm
          client={client}
          environment={environment}
          services={services}
          fourEyes={state.fourEyes === true}
          mayRequest={
            (identity?.permissions.includes('hotfix-exception') ||
              identity?.permissions.includes('production-deploy')) ??
            false
          }
          mayApprove={identity?.permissions.includes('hotfix-exception') ?? false}
          who={identity?.name}
          onApproved={() => void load()}
        />
      )}
    </Alert>
  );
}

function HotfixForm(props: {
  client: CockpitClient;
  environment: string;
  services: string[];
  fourEyes: boolean;
  mayRequest: boolean;
  mayApprove: boolean;
  who?: string;
  onApproved: () => void;
}) {
  const [category, setCategory] = useState<'security' | 'data-corruption'>('security');
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string>();
  const [chosen, setChosen] = useState<string[]>([]);
  const [requested, setRequested] = useState<string>();
  if (props.fourEyes) {
    if (!props.mayRequest)
      return (
        <Text size="xs" mt="xs">
          A hotfix exception (security issue or data corruption) can open it now; ask a release manager or DevOps to
          request one.
        </Text>
      );
    const request = async () => {
      const reply = await props.client.invoke('approvals:request-exception', {
        environment: props.environment,
        category,
        services: chosen,
        reason,
      });
      if (!reply.ok) return setError(reply.error.message);
      setError(undefined);
      setRequested(`Requested (${reply.value.id.slice(0, 8)}): another approver must approve it below.`);
    };
    return (
      <Stack gap="xs" mt="xs">
        <Checkbox.Group label="Services the exception is for" value={chosen} onChange={setChosen}>
          <Group gap="xs" mt={4}>
            {props.services.map((service) => (
              <Checkbox key={service} value={service} label={service} size="xs" />
            ))}
          </Group>
        </Checkbox.Group>
        <Group align="end" gap="xs">
          <CategorySelect value={category} onChange={setCategory} />
          <ReasonInput label="Reason (recorded and signed)" value={reason} onChange={setReason} />
          <Button size="xs" color="orange" onClick={() => void request()} data-testid="hotfix-request">
            Request a hotfix exception
          </Button>
        </Group>
        {requested && (
          <Text size="xs" data-testid="hotfix-requested">
            {requested}
          </Text>
        )}
        <InlineError message={error} />
      </Stack>
    );
  }
  if (!props.mayApprove)
    return (
      <Text size="xs" mt="xs">
        A hotfix exception (security issue or data corruption) can open it now; {props.who ?? 'you'} may not approve one
        — ask a release manager or tech lead.
      </Text>
    );
  const approve = async () => {
    const reply = await props.client.invoke('policy:approve-hotfix', {
      environment: props.environment,
      category,
      reason,
    });
    if (!reply.ok) return setError(reply.error.message);
    setError(undefined);
    props.onApproved();
  };
  return (
    <Group align="end" gap="xs" mt="xs">
      <CategorySelect value={category} onChange={setCategory} />
      <ReasonInput label="Reason (recorded in the ledger)" value={reason} onChange={setReason} />
      <Button size="xs" color="orange" onClick={() => void approve()} data-testid="hotfix-approve">
        Approve and open {props.environment}
      </Button>
      {error && (
        <Text size="xs" c="red" role="alert" w="100%">
          {error}
        </Text>
      )}
    </Group>
  );
}

function CategorySelect(props: {
  value: 'security' | 'data-corruption';
  onChange: (value: 'security' | 'data-corruption') => void;
}) {
  return (
    <NativeSelect
      size="xs"
      label="Hotfix exception"
      data={[
        { value: 'security', label: 'Security issue' },
        { value: 'data-corruption', label: 'Data corruption' },
      ]}
      value={props.value}
      onChange={(event) => props.onChange(event.currentTarget.value as 'security' | 'data-corruption')}
      data-testid="hotfix-category"
    />
  );
}

function ReasonInput(props: { label: string; value: string; onChange: (value: string) => void }) {
  return (
    <TextInput
      size="xs"
      label={props.label}
      value={props.value}
      onChange={(event) => props.onChange(event.currentTarget.value)}
      w={320}
      data-testid="hotfix-reason"
    />
  );
}
