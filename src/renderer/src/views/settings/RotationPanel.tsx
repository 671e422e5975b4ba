import { Alert, Badge, Button, Checkbox, Group, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import type { SecretRotation } from '../../../../shared/contract';
import type { CockpitClient } from '../../ipc/client';
import { useRotationStore } from '../../stores/rotation-store';

const statusView: Record<SecretRotation['status'], { label: string; color: string }> = {
  ok: { label: 'ok', color: 'teal' },
  'due-soon': { label: 'due soon', color: 'yellow' },
  overdue: { label: 'overdue', color: 'red' },
  'never-rotated': { label: 'never rotated', color: 'orange' },
};

/** The platform's secrets under the rotation policy, and the rotation runbook as a checklist. */
export function RotationPanel({ client }: { client: CockpitClient }) {
  const secrets = useRotationStore((state) => state.secrets);
  const setSecrets = useRotationStore((state) => state.setSecrets);
  const [open, setOpen] = useState<string>();
  const [note, setNote] = useState('');
  const [error, setError] = useState<string>();

  const check = async (secret: SecretRotation, step: string) => {
    const reply = await client.invoke('rotation:check', {
      secretId: secret.id,
      step: step as 'generate',
      ...(note.trim() ? { note: note.trim() } : {}),
    });
    setError(reply.ok ? undefined : reply.error.message);
    if (reply.ok) {
      setSecrets(reply.value.secrets);
      setNote('');
    }
  };

  if (secrets.length === 0) return null;
  return (
    <Stack gap="xs" data-testid="rotation">
      <Title order={3} size="h4">
        Secret rotation
      </Title>
      <Text size="sm" c="dimmed">
        The platform’s own secrets (never stored here): when each was last rotated and when it is due. A rotation is
        complete once every step of the runbook is checked; each check is in the ledger.
      </Text>
      <Table withTableBorder>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Secret</Table.Th>
            <Table.Th>Owner</Table.Th>
            <Table.Th>Last rotated</Table.Th>
            <Table.Th>Due</Table.Th>
            <Table.Th>State</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {secrets.map((secret) => (
            <Table.Tr key={secret.id} data-testid={`rotation-${secret.id}`}>
              <Table.Td>
                <Text size="sm">{secret.id}</Text>
                <Text size="xs" c="dimmed">
                  {secret.kind}
                  {secret.environment ? ` · ${secret.environment}` : ''} · every {secret.rotationDays} days
                </Text>
                {open === secret.id && (
                  <Stack gap={4} mt="xs" data-testid="rotation-runbook">
                    {secret.runbook.map((step) => (
                      <Checkbox
                        key={step.id}
                        checked={step.doneAt !== undefined}
                        disabled={step.doneAt !== undefined}
                        onChange={() => void check(secret, step.id)}
                        label={`${step.title}${step.doneAt ? ` — ${step.by}, ${step.doneAt}${step.note ? ` (${step.note})` : ''}` : ''}`}
                      />
                    ))}
                    <TextInput
                      size="xs"
                      placeholder="Note for the next step checked (optional)"
                      value={note}
                      onChange={(event) => setNote(event.currentTarget.value)}
                      maxLength={300}
                    />
                  </Stack>
                )}
              </Table.Td>
              <Table.Td>{secret.owner ?? '—'}</Table.Td>
              <Table.Td>{secret.lastRotatedAt?.slice(0, 10) ?? '—'}</Table.Td>
              <Table.Td>
                {secret.dueAt
                  ? `${secret.dueAt.slice(0, 10)} (${secret.daysLeft! < 0 ? `${-secret.daysLeft!} days late` : `in ${secret.daysLeft} days`})`
                  : '—'}
              </Table.Td>
              <Table.Td>
                <Badge color={statusView[secret.status].color} variant="light" data-testid="rotation-status">
                  {statusView[secret.status].label}
                </Badge>
              </Table.Td>
              <Table.Td>
                <Group gap={4}>
                  <Button
                    size="compact-xs"
                    variant="default"
                    onClick={() => setOpen(open === secret.id ? undefined : secret.id)}
                    aria-expanded={open === secret.id}
                  >
                    {open === secret.id ? 'Close' : 'Rotate…'}
                  </Button>
                </Group>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {error && (
        <Alert color="red" withCloseButton onClose={() => setError(undefined)}>
          {error}
        </Alert>
      )}
    </Stack>
  );
}
