import {
  Alert,
  Anchor,
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
import { ledgerQueryFilter, useLedgerStore } from '../../stores/ledger-store';
import { useTeamStore } from '../../stores/team-store';
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
  const platform = usePlatformStore((state) => state.current?.platform);
  const { filter, page, verification, revision, loadError, setFilter, setPage, setVerification, setLoadError } =
    useLedgerStore();
  const [search] = useDebouncedValue(filter.search, 200);
  const [openRecord, setOpenRecord] = useState<string>();
  const [notice, setNotice] = useState<{ color: string; text: string }>();
  const [isBusy, setIsBusy] = useState(false);
  const hasMirror = useTeamStore((state) => state.sync?.isConfigured === true);

  useEffect(() => {
    if (!platform) return;
    let isCurrent = true;
    void client.invoke('ledger:query', { ...ledgerQueryFilter(filter, search), limit: 300 }).then((reply) => {
      if (!isCurrent) return;
      if (reply.ok) setPage(reply.value);
      else setLoadError(reply.error.message);
    });
    return () => {
      isCurrent = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the filter's fields are listed; search is debounced
  }, [
    client,
    platform,
    search,
    filter.environment,
    filter.service,
    filter.action,
    filter.fromDay,
    filter.toDay,
    revision,
  ]);

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
        ...ledgerQueryFilter(filter, search),
        withContent: true,
      });
      if (!reply.ok) return { color: 'red', text: reply.error.message };
      // Kept in the data folder, and downloaded here too (the browser mode has no folder to open).
      if (reply.value.content !== undefined) download(reply.value.file, reply.value.content, format);
      return { color: 'teal', text: `Exported ${reply.value.recordCount} records to ${reply.value.file}` };
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
          {hasMirror && (
            <Button size="xs" variant="default" onClick={() => void syncMirror()} disabled={isBusy}>
              Sync mirror
            </Button>
          )}
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
          label="Service"
          clearable
          placeholder="All"
          data={platform.services.map((service) => ({ value: service.id, label: service.name }))}
          value={filter.service ?? null}
          onChange={(value) => setFilter({ service: value ?? undefined })}
          w={180}
          data-testid="ledger-service"
        />
        <TextInput
          type="date"
          label="From"
          value={filter.fromDay ?? ''}
          onChange={(event) => setFilter({ fromDay: event.currentTarget.value || undefined })}
          w={150}
          data-testid="ledger-from"
        />
        <TextInput
          type="date"
          label="To"
          value={filter.toDay ?? ''}
          onChange={(event) => setFilter({ toDay: event.currentTarget.value || undefined })}
          w={150}
          data-testid="ledger-to"
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
        {page?.records.map((record, index) => (
          <LedgerRecordItem
            key={record.id}
            record={record}
            startsGroup={
              record.correlationId !== undefined && record.correlationId !== page.records[index - 1]?.correlationId
            }
            groupSize={page.records.filter((other) => other.correlationId === record.correlationId).length}
            isOpen={openRecord === record.id}
            onToggle={() => setOpenRecord(openRecord === record.id ? undefined : record.id)}
            onOnlyGroup={() => setFilter({ search: record.correlationId ?? '' })}
          />
        ))}
      </Stack>
      {page && page.records.length === 0 && <Text c="dimmed">No record matches.</Text>}
    </Stack>
  );
}

/** One record; the first of a run or a rollback walk (its correlation id) heads its group. */
function LedgerRecordItem({
  record,
  startsGroup,
  groupSize,
  isOpen,
  onToggle,
  onOnlyGroup,
}: {
  record: LedgerRecord;
  startsGroup: boolean;
  groupSize: number;
  isOpen: boolean;
  onToggle(): void;
  onOnlyGroup(): void;
}) {
  const moment = useMoment();
  return (
    <>
      {startsGroup && (
        <li className={classes.group} data-testid="ledger-group">
          <Text size="xs" fw={600}>
            {groupLabel(record)} {record.correlationId}
          </Text>
          <Text size="xs" c="dimmed">
            {groupSize} record{groupSize === 1 ? '' : 's'} here
          </Text>
          <Anchor component="button" size="xs" onClick={onOnlyGroup} data-testid="ledger-group-only">
            Show only this {groupLabel(record).toLowerCase()}
          </Anchor>
        </li>
      )}
      <li key={record.id} className={classes.record} data-testid="ledger-record">
        <UnstyledButton className={classes.summary} onClick={onToggle} aria-expanded={isOpen}>
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
        {isOpen && (
          <Code block className={classes.details} data-testid="ledger-record-details">
            {JSON.stringify(record, null, 2)}
          </Code>
        )}
      </li>
    </>
  );
}

/** What a correlation id groups: a deploy run, a rollback walk, or another series of records. */
function groupLabel(record: LedgerRecord): string {
  if (record.action.startsWith('deploy.')) return 'Run';
  if (record.action.startsWith('rollback.')) return 'Rollback walk';
  return 'Series';
}

/** Hands the browser a file to save (the desktop app asks where). */
function download(file: string, content: string, format: 'csv' | 'json') {
  if (typeof URL.createObjectURL !== 'function') return;
  const url = URL.createObjectURL(new Blob([content], { type: format === 'csv' ? 'text/csv' : 'application/json' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = file.split(/[\\/]/).pop() ?? `ledger.${format}`;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
