import { Badge, Button, Group, Modal, Stack, Table, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { SignoffChecklist } from '../../../../shared/contract';
import type { Reply } from '../../../../shared/reply';
import type { CockpitClient } from '../../ipc/client';
import { useMoment } from '../../hooks/use-moment';

const sectionLabel: Record<string, string> = {
  scenario: 'Scenario',
  browser: 'Browser',
  responsive: 'Device',
  blocker: 'Blocker',
};

/** The staging acceptance checklist of the next production release: who signed what, when. */
export function SignoffPanel({ client }: { client: CockpitClient }) {
  const moment = useMoment();
  const [checklist, setChecklist] = useState<SignoffChecklist>();
  const [notes, setNotes] = useState<Record<string, string>>({});
  const [error, setError] = useState<string>();
  const [withdrawing, setWithdrawing] = useState<SignoffChecklist['items'][number]>();

  useEffect(() => {
    let isCurrent = true;
    void client.invoke('signoff:checklist', {}).then((reply) => isCurrent && reply.ok && setChecklist(reply.value));
    return () => {
      isCurrent = false;
    };
  }, [client]);

  if (!checklist) return null;
  /** The checklist a sign or a withdrawal answered, or what went wrong; whether it went through. */
  const show = (reply: Reply<SignoffChecklist>): boolean => {
    setError(reply.ok ? undefined : reply.error.message);
    if (reply.ok) setChecklist(reply.value);
    return reply.ok;
  };
  const sign = async (item: string) => {
    const note = notes[item]?.trim();
    const reply = await client.invoke('signoff:sign', {
      release: checklist.release,
      item,
      ...(note ? { note } : {}),
    });
    show(reply);
  };
  const withdraw = async (item: string, reason: string) => {
    const reply = await client.invoke('signoff:revoke', { release: checklist.release, item, reason });
    if (show(reply)) setWithdrawing(undefined);
  };
  const signed = checklist.items.filter((item) => item.signedBy).length;
  return (
    <Stack gap="xs" data-testid="signoffs">
      <Title order={3} size="h4">
        Staging acceptance for the {checklist.release} release — {signed}/{checklist.items.length} signed
      </Title>
      <Text size="xs" c="dimmed">
        Unsigned blockers stop a production deploy (under a hotfix exception they only warn, the acceptance follows the
        fix); other unsigned items warn. Each signature is recorded in the ledger.
      </Text>
      {error && (
        <Text size="sm" c="red" role="alert">
          {error}
        </Text>
      )}
      <Table withTableBorder>
        <Table.Tbody>
          {checklist.items.map((item) => (
            <Table.Tr key={item.id} data-testid={`signoff-${item.id}`}>
              <Table.Td>
                <Badge variant="light" color={item.section === 'blocker' ? 'red' : 'gray'}>
                  {sectionLabel[item.section] ?? item.section}
                </Badge>
              </Table.Td>
              <Table.Td>{item.title}</Table.Td>
              <Table.Td>
                {item.signedBy ? (
                  <Text size="sm">
                    ✓ {item.signedBy}, {moment(item.signedAt!)}
                    {item.note ? ` — ${item.note}` : ''}
                  </Text>
                ) : (
                  <TextInput
                    size="xs"
                    placeholder="Note (optional)"
                    aria-label={`Note for ${item.title}`}
                    value={notes[item.id] ?? ''}
                    onChange={(event) => setNotes({ ...notes, [item.id]: event.currentTarget.value })}
                  />
                )}
              </Table.Td>
              <Table.Td>
                {item.signedBy ? (
                  <Button
                    size="xs"
                    variant="subtle"
                    color="red"
                    onClick={() => setWithdrawing(item)}
                    data-testid="signoff-withdraw"
                    aria-label={`Withdraw the sign-off of ${item.title}`}
                  >
                    Withdraw…
                  </Button>
                ) : (
                  <Button size="xs" variant="light" onClick={() => void sign(item.id)} data-testid="signoff-sign">
                    Sign
                  </Button>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Modal
        opened={withdrawing !== undefined}
        onClose={() => setWithdrawing(undefined)}
        title="Withdraw a sign-off"
        centered
      >
        {withdrawing && (
          <WithdrawForm
            item={withdrawing}
            release={checklist.release}
            onConfirm={(reason) => withdraw(withdrawing.id, reason)}
            onCancel={() => setWithdrawing(undefined)}
          />
        )}
      </Modal>
    </Stack>
  );
}

/** Why the sign-off is withdrawn (required, recorded in the ledger), then confirmed. */
function WithdrawForm({
  item,
  release,
  onConfirm,
  onCancel,
}: {
  item: SignoffChecklist['items'][number];
  release: string;
  onConfirm: (reason: string) => Promise<void>;
  onCancel: () => void;
}) {
  const [reason, setReason] = useState('');
  const [isSending, setIsSending] = useState(false);
  const submit = async () => {
    setIsSending(true);
    await onConfirm(reason.trim());
    setIsSending(false);
  };
  return (
    <Stack gap="sm">
      <Text size="sm">
        “{item.title}” for the {release} release was signed by {item.signedBy}. Withdrawn, it is unsigned again
        {item.section === 'blocker' ? ' and blocks production deploys until someone signs it' : ''}; the withdrawal and
        its reason are recorded in the ledger.
      </Text>
      <Textarea
        label="Why is it withdrawn?"
        required
        autoFocus
        maxLength={500}
        value={reason}
        onChange={(event) => setReason(event.currentTarget.value)}
        data-testid="signoff-withdraw-reason"
      />
      <Group gap="xs" justify="flex-end">
        <Button variant="default" onClick={onCancel}>
          Keep the sign-off
        </Button>
        <Button
          color="red"
          disabled={reason.trim() === ''}
          loading={isSending}
          onClick={() => void submit()}
          data-testid="signoff-withdraw-confirm"
        >
          Withdraw the sign-off
        </Button>
      </Group>
    </Stack>
  );
}
