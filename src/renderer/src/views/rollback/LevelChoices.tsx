import { formatSize } from '../../../../shared/format-size';
import { Alert, Button, Checkbox, Group, Select, Stack, Text, TextInput } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { RollbackChoices, RollbackTriage } from '../../../../shared/contract';
import type { CockpitClient } from '../../ipc/client';
import { useRollbackStore } from '../../stores/rollback-store';

interface LevelChoicesProps {
  client: CockpitClient;
  triage: RollbackTriage;
  level: 1 | 2 | 3;
  defaultReason: string;
  isDisabled: boolean;
  onError: (message: string | undefined) => void;
}

/** What the chosen level needs before it starts: the version, the commits, or the backup and confirmation. */
export function LevelChoices({ client, triage, level, defaultReason, isDisabled, onError }: LevelChoicesProps) {
  const started = useRollbackStore((state) => state.started);
  const [choices, setChoices] = useState<RollbackChoices>();
  const [commits, setCommits] = useState<string[]>([]);
  const [backup, setBackup] = useState<string | null>(null);
  const [confirmation, setConfirmation] = useState('');
  const [reason, setReason] = useState(defaultReason);
  const { service, environment } = triage;

  // The parent keys this component by service, environment and level: a new choice starts afresh.
  useEffect(() => {
    if (level === 1) return;
    let isCurrent = true;
    void client.invoke('rollback:choices', { service, environment, level }).then((reply) => {
      if (!isCurrent) return;
      if (reply.ok) {
        setChoices(reply.value);
        setBackup(reply.value.backups?.[0]?.id ?? null);
      } else onError(reply.error.message);
    });
    return () => {
      isCurrent = false;
    };
  }, [client, service, environment, level, onError]);

  const start = async () => {
    const reply = await client.invoke('rollback:start', {
      service,
      environment,
      level,
      ...(reason.trim() ? { reason: reason.trim() } : {}),
      ...(level === 1 && triage.previousStable ? { to: triage.previousStable } : {}),
      ...(level === 2 ? { commits } : {}),
      ...(level === 3 && backup ? { backup, confirmation } : {}),
    });
    onError(reply.ok ? undefined : reply.error.message);
    if (reply.ok) started(reply.value.rollbackId);
  };

  const isReady =
    level === 1
      ? triage.previousStable !== undefined
      : level === 2
        ? commits.length > 0
        : backup !== null && confirmation === environment;
  const label =
    level === 1
      ? `Roll back ${service} to ${triage.previousStable ? `v${triage.previousStable}` : '…'} (level 1)`
      : level === 2
        ? `Revert ${commits.length} commit${commits.length === 1 ? '' : 's'} and redeploy (level 2)`
        : `Restore ${environment} from the backup (level 3)`;
  return (
    <Stack gap="xs" data-testid="rollback-choices">
      {choices?.problem && <Alert color="yellow">{choices.problem}</Alert>}
      {level === 1 && !triage.previousStable && (
        <Text size="xs" c="dimmed">
          The ledger has no earlier successful deploy: use the command line with --to.
        </Text>
      )}
      {level === 2 && choices?.commits && (
        <Checkbox.Group
          label={`Commits of v${choices.goodVersion}..v${choices.running} to revert`}
          value={commits}
          onChange={setCommits}
          data-testid="rollback-commits"
        >
          <Stack gap={4} mt={4}>
            {choices.commits.map((commit) => (
              <Checkbox
                key={commit.hash}
                value={commit.hash}
                label={`${commit.hash.slice(0, 7)} ${commit.subject} — ${commit.author}`}
                disabled={isDisabled}
              />
            ))}
          </Stack>
        </Checkbox.Group>
      )}
      {level === 3 && choices?.backups && choices.backups.length > 0 && (
        <>
          <Select
            label="Backup to restore"
            data={choices.backups.map((candidate) => ({
              value: candidate.id,
              label: `${candidate.id} — taken ${candidate.takenAt}, ${formatSize(candidate.sizeBytes)}`,
            }))}
            value={backup}
            onChange={setBackup}
            allowDeselect={false}
            disabled={isDisabled}
            w={520}
            data-testid="rollback-backup"
          />
          <Text size="sm">
            Stopped meanwhile, then started again in this order: <b>{choices.affected?.join(' → ')}</b>.
          </Text>
          <TextInput
            label={`Type "${environment}" to confirm the restore`}
            value={confirmation}
            onChange={(event) => setConfirmation(event.currentTarget.value)}
            disabled={isDisabled}
            w={320}
            autoComplete="off"
            data-testid="rollback-confirmation"
          />
        </>
      )}
      <TextInput
        label="Reason (for the notices and the ledger)"
        value={reason}
        onChange={(event) => setReason(event.currentTarget.value)}
        disabled={isDisabled}
        maxLength={500}
        w={520}
        data-testid="rollback-reason"
      />
      <Group>
        <Button
          color="orange"
          onClick={() => void start()}
          disabled={isDisabled || !isReady}
          data-testid="rollback-start"
        >
          {label}
        </Button>
      </Group>
    </Stack>
  );
}
