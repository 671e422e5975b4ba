import {
  Alert,
  Badge,
  Button,
  Code,
  Group,
  Select,
  Stack,
  Text,
  TextInput,
  Title,
  UnstyledButton,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useEffect, useState } from 'react';
import { ledgerActions, type LedgerAction } from '../../../../shared/ledger-actions';
import type { LedgerRecord } from '../../../../shared/ledger-record';
import type { CockpitClient } from '../../ipc/client';
import { useLedgerStore } from '../../stores/ledger-store';
import { usePlatformStore } from '../../stores/platform-store';
import classes from './LedgerView.module.css';
import { useMoment } from '../../hooks/use-moment';

const statusColor: Record<LedgerRecord['status'], string> = {
  started: 'blue',
  succeeded: 'teal',
  failed: 'red',
  cancelled: 'gray',
  info: 'violet',
};

/** The audit trail: searchable, filterable, newest first, with a banner when the chain is broken. */
export function LedgerView({ client }: { client: CockpitClient }) {
  const moment = useMoment();
  const platform = usePlatformStore((state) => state.current?.platform);
  const { filter, page, verification, revision, loadError, setFilter, setPage, setVerification, setLoadError } =
    useLedgerStore();
  const [search] = useDebouncedValue(filter.search, 200);
  const [openRecord, setOpenRecord] = useState<string>();
  const [notice, setNotice] = useState<{ color: string; text: string }>();
  const [isBusy, setIsBusy] = useState(false);

  useEffect(() => {
    if (!platform) return;
    let isCurrent = true;
    void client
      .invoke('ledger:query', {
        search: search || undefined,
        environment: filter.environment,
        action: filter.action,
        limit: 300,
      })
      .then((reply) => {
        if (!isCurrent) return;
        if (reply.ok) setPage(reply.value);
        else setLoadError(reply.error.message);
      });
    return () => {
      isCurrent = false;
    };
  }, [client, platform, search, filter.environment, filter.action, revision, setPage, setLoadError]);

  const runAction = async (work: () => Promise<{ color: string; text: string }>) => {
    setIsBusy(true);
    setNotice(await work());
    setIsBusy(false);
  };

  const verifyNow = () =>
    runAction(async () => {
      const reply = await client.invoke('ledger:verify', {});
      if (!reply.ok) return { color: 'red', text: reply.error.message };
      setVerification(reply.value);
      return reply.value.isValid
        ? { color: 'teal', text: `Chain verified: ${reply.value.recordCount} records intact.` }
        : { color: 'red', text: 'Verification failed: see the banner.' };
    });

  const exportAs = (format: 'csv' | 'json') =>
    runAction(async () => {
      const reply = await client.invoke('ledger:export', {
        format,
        search: search || undefined,
        environment: filter.environment,
        action: filter.action,
      });
      return reply.ok
        ? { color: 'teal', text: `Exported ${reply.value.recordCount} records to ${reply.value.file}` }
        : { color: 'red', text: reply.error.message };
    });

  const syncMirror = () =>
    runAction(async () => {
      const reply = await client.invoke('ledger:sync', {});
      return reply.ok
        ? {
            color: 'teal',
            text: `Synced: ${reply.value.received} received, ${reply.value.sent} sent, ${reply.value.total} records.`,
          }
        : { color: reply.error.code === 'NOT_CONFIGURED' ? 'yellow' : 'red', text: reply.error.message };
    });

  if (!platform) {
    return (
      <Stack p="md" data-testid="view-ledger">
        <Title order={2}>Ledger</Title>
        <Text>Open a platform to see its audit trail.</Text>
      </Stack>
    );
  }

  return (
    <Stack gap="sm" p="md" data-testid="view-ledger">
      <Group justify="space-between">
        <Title order={2}>Ledger</Title>
        <Group gap="xs">
          <Button
            size="xs"
            variant="default"
            onClick={() => void verifyNow()}
            loading={isBusy}
            data-testid="ledger-verify"
          >
            Verify chain
          </Button>
          <Button size="xs" variant="default" onClick={() => void exportAs('csv')} disabled={isBusy}>
            Export CSV
          </Button>
          <Button size="xs" variant="default" onClick={() => void exportAs('json')} disabled={isBusy}>
            Export JSON
          </Button>
          <Button size="xs" variant="default" onClick={() => void syncMirror()} disabled={isBusy}>
            Sync mirror
          </Button>
        </Group>
      </Group>

      {verification && !verification.isValid && (
        <Alert color="red" title="The audit trail fails verification" data-testid="ledger-broken">
          Line {verification.problem?.line}: {verification.problem?.message}. Records after this point cannot be
          trusted, and nothing more is written until it is investigated.
        </Alert>
      )}
      {verification?.tornTail && (
        <Alert color="yellow" title="An interrupted write left a torn last line">
          Line {verification.tornTail.line} ({verification.tornTail.bytes} bytes) will be moved aside and recorded as a
          repair at the next write.
        </Alert>
      )}
      {notice && (
        <Alert color={notice.color} withCloseButton onClose={() => setNotice(undefined)} data-testid="ledger-notice">
          {notice.text}
        </Alert>
      )}
      {loadError && <Alert color="red">{loadError}</Alert>}

      <Group gap="xs" align="end">
        <TextInput
          label="Search"
          placeholder="service, version, person, commit…"
          value={filter.search}
          onChange={(event) => setFilter({ search: event.currentTarget.value })}
          data-testid="ledger-search"
          w={280}
        />
        <Select
          label="Environment"
          clearable
          placeholder="All"
          data={platform.environments.map((environment) => ({ value: environment.id, label: environment.name }))}
          value={filter.environment ?? null}
          onChange={(value) => setFilter({ environment: value ?? undefined })}
          w={160}
        />
        <Select
          label="Action"
          clearable
          placeholder="All"
          data={[...ledgerActions]}
          value={filter.action ?? null}
          onChange={(value) => setFilter({ action: (value as LedgerAction | null) ?? undefined })}
          w={180}
        />
        <Text size="sm" c="dimmed" data-testid="ledger-count">
          {page ? `${page.matched} of ${page.total} records` : 'Loading…'}
          {verification?.isValid ? ' · chain intact' : ''}
        </Text>
      </Group>

      <Stack gap={0} component="ol" className={classes.timeline} aria-label="Ledger records, newest first">
        {page?.records.map((record) => (
          <li key={record.id} className={classes.record} data-testid="ledger-record">
            <UnstyledButton
              className={classes.summary}
              onClick={() => setOpenRecord(openRecord === record.id ? undefined : record.id)}
              aria-expanded={openRecord === record.id}
            >
              <Text size="xs" c="dimmed" className={classes.sequence}>
                #{record.seq}
              </Text>
              <Text size="xs" c="dimmed" className={classes.time}>
                {moment(record.time, { isAbsoluteOnly: true })}
              </Text>
              <Badge size="sm" variant="light" color={statusColor[record.status]} className={classes.status}>
                {record.status}
              </Badge>
              <Text size="sm" fw={600} className={classes.action}>
                {record.action}
              </Text>
              <Text size="xs" c="dimmed" data-testid="ledger-record-scope">
                {[record.environment, record.services?.join(', ')].filter(Boolean).join(' · ')}
              </Text>
              <Text size="sm" className={classes.text}>
                {record.summary}
              </Text>
              <Text size="xs" c="dimmed">
                {record.actor.name}
              </Text>
            </UnstyledButton>
            {openRecord === record.id && (
              <Code block className={classes.details} data-testid="ledger-record-details">
                {JSON.stringify(record, null, 2)}
              </Code>
            )}
          </li>
        ))}
      </Stack>
      {page && page.records.length === 0 && <Text c="dimmed">No record matches.</Text>}
    </Stack>
  );
}
