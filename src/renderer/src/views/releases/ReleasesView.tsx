import {
  Alert,
  Badge,
  Button,
  Code,
  CopyButton,
  Group,
  List,
  Modal,
  SegmentedControl,
  Select,
  Stack,
  Table,
  Tabs,
  Text,
  Title,
} from '@mantine/core';

import { useEffect, useState } from 'react';

import type {
  CiStatus,
  ReleaseCalendar,
  ReleasePlan,
  ReleasePreview,
  ReleaseResult,
} from '../../../../shared/contract';

import type { CockpitClient } from '../../ipc/client';

import { usePlatformStore } from '../../stores/platform-store';

import { intentFor } from '../../stores/view-store';

import { ReleaseHistoryPanel } from './ReleaseHistoryPanel';

import { CalendarSummary, CiSummary } from './ReleaseSummaries';

import { SignoffPanel } from './SignoffPanel';

type Bump = 'patch' | 'minor' | 'major';

/** A check that only warns is not a failure. */
const checkMark = {
  pass: { symbol: '✓', color: 'teal' },
  warn: { symbol: '⚠', color: 'yellow.8' },
  fail: { symbol: '✗', color: 'red' },
} as const;

/** Commit types a user of the service can notice (the others are chores, docs, tests, CI…). */
const visibleTypes = new Set(['feat', 'fix', 'perf', 'revert']);
function isUserVisible(commit: { type?: string; isBreaking?: boolean }): boolean {
  return commit.isBreaking === true || visibleTypes.has(commit.type ?? '') || commit.type === undefined;
}

/** Plan, preview and cut a service's release. */
export function ReleasesView({ client }: { client: CockpitClient }) {
  const platform = usePlatformStore((state) => state.current?.platform);
  const [service, setService] = useState<string | undefined>(() => intentFor('releases')?.service);
  const [tab, setTab] = useState('cut');
  const [plan, setPlan] = useState<ReleasePlan>();
  const [bump, setBump] = useState<Bump>();
  const [preview, setPreview] = useState<ReleasePreview>();
  const [result, setResult] = useState<ReleaseResult>();
  const [error, setError] = useState<string>();
  const [isBusy, setIsBusy] = useState(false);
  const [isConfirming, setIsConfirming] = useState(false);
  const selected = service ?? platform?.services[0]?.id;
  const [calendar, setCalendar] = useState<ReleaseCalendar>();
  const [ci, setCi] = useState<CiStatus>();

  useEffect(() => {
    if (!platform) return;
    void client.invoke('release:calendar', {}).then((reply) => {
      if (reply.ok) setCalendar(reply.value);
    });
  }, [client, platform]);

  useEffect(() => {
    if (!selected) return;
    let isCurrent = true;
    void client.invoke('release:plan', { service: selected }).then((reply) => {
      if (!isCurrent) return;
      if (reply.ok) {
        setPlan(reply.value);
        // Nothing since the last tag: no bump is chosen for the person.
        setBump(reply.value.suggestedBump ?? (reply.value.commits.length > 0 ? 'patch' : undefined));
        setError(undefined);
      } else setError(reply.error.message);
    });
    void client.invoke('release:ci', { service: selected }).then((reply) => {
      if (isCurrent) setCi(reply.ok ? reply.value : undefined);
    });
    return () => {
      isCurrent = false;
    };
  }, [client, selected, result]);

  if (!platform || !selected) {
    return (
      <Stack p="md" data-testid="view-releases">
        <Title order={2}>Releases</Title>
        <Text c="dimmed">Open a platform to plan its releases.</Text>
      </Stack>
    );
  }

  const runPreview = async () => {
    if (!bump) return;
    setIsBusy(true);
    const reply = await client.invoke('release:preview', { service: selected, bump });
    setIsBusy(false);
    if (reply.ok) setPreview(reply.value);
    setError(reply.ok ? undefined : reply.error.message);
  };

  const runCut = async () => {
    if (!preview) return;
    setIsConfirming(false);
    setIsBusy(true);
    const reply = await client.invoke('release:cut', {
      service: selected,
      bump: preview.bump,
      expectedVersion: preview.version,
    });
    setIsBusy(false);
    if (reply.ok) {
      setResult(reply.value);
      setPreview(undefined);
      setError(undefined);
    } else setError(reply.error.message);
  };

  return (
    <Stack gap="sm" p="md" data-testid="view-releases">
      <Title order={2}>Releases</Title>
      {calendar && <CalendarSummary calendar={calendar} />}
      <Group align="end" gap="sm">
        <Select
          label="Service"
          data={platform.services.map((candidate) => ({ value: candidate.id, label: candidate.name }))}
          value={selected}
          onChange={(value) => {
            setService(value ?? undefined);
            setResult(undefined);
            setPreview(undefined);
            setPlan(undefined);
          }}
          allowDeselect={false}
          w={260}
          data-testid="release-service"
        />
        {plan && (
          <Text size="sm" data-testid="release-current">
            Version {plan.currentVersion}
            {plan.versionSource === 'tags' ? ' (from the tags)' : ''} · latest tag {plan.latestTag ?? 'none'} · branch{' '}
            {plan.branch}
          </Text>
        )}
      </Group>
      {error && (
        <Alert
          color="red"
          title="The release could not go ahead"
          data-testid="release-error"
          withCloseButton
          onClose={() => setError(undefined)}
        >
          {error}
        </Alert>
      )}
      {result && (
        <Alert color="teal" title={`Released ${result.service} ${result.tag}`} data-testid="release-result">
          Commit {result.commit.slice(0, 7)} and tag {result.tag} are on origin. Notes saved to {result.notesFile}.
        </Alert>
      )}

      <Tabs value={tab} onChange={(value) => setTab(value ?? 'cut')} keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="cut">Cut a release</Tabs.Tab>
          <Tabs.Tab value="history" data-testid="release-history-tab">
            History
          </Tabs.Tab>
          <Tabs.Tab value="acceptance" data-testid="release-acceptance-tab">
            Acceptance
          </Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="cut" pt="sm">
          <Stack gap="sm">
            {ci && <CiSummary ci={ci} />}
            {plan && (
              <Stack gap="xs">
                <Text fw={600}>
                  {plan.commits.length} commit{plan.commits.length === 1 ? '' : 's'} since{' '}
                  {plan.latestTag ?? 'the first commit'}
                </Text>
                <List size="sm" spacing={2} data-testid="release-commits">
                  {plan.commits.map((commit) => (
                    <List.Item key={commit.hash}>
                      <Group gap={6} wrap="nowrap">
                        {commit.isBreaking && (
                          <Badge size="xs" color="red">
                            breaking
                          </Badge>
                        )}
                        <Badge size="xs" variant="light" color={commit.isConventional ? 'indigo' : 'gray'}>
                          {commit.type ?? 'other'}
                        </Badge>
                        <Text size="sm">{commit.subject}</Text>
                      </Group>
                    </List.Item>
                  ))}
                </List>
                {plan.commits.length === 0 ? (
                  <Alert color="gray" data-testid="release-nothing">
                    Nothing to release: no commit since {plan.latestTag ?? 'the first commit'}. Choose a bump only if
                    you mean to release the same code again.
                  </Alert>
                ) : (
                  !plan.commits.some((commit) => isUserVisible(commit)) && (
                    <Alert color="yellow" data-testid="release-no-visible-change">
                      No user-visible change since {plan.latestTag ?? 'the first commit'}: these commits are{' '}
                      {[...new Set(plan.commits.map((commit) => commit.type ?? 'other'))].join(', ')} only. A release
                      would change nothing a user sees.
                    </Alert>
                  )
                )}
                <Group gap="sm" align="center">
                  <SegmentedControl
                    value={bump ?? ''}
                    onChange={(value) => {
                      setBump(value as Bump);
                      setPreview(undefined);
                    }}
                    data={(['patch', 'minor', 'major'] as const).map((kind) => ({
                      value: kind,
                      label: `${kind} → v${plan.nextVersions[kind]}${plan.suggestedBump === kind ? ' (suggested)' : ''}`,
                    }))}
                    data-testid="release-bump"
                  />
                  <Button
                    variant="default"
                    onClick={() => void runPreview()}
                    loading={isBusy && !preview}
                    disabled={!bump}
                    data-testid="release-preview"
                  >
                    Preview (dry run)
                  </Button>
                  {preview && (
                    // The cut sits beside the bump once the dry run is there (its details follow below).
                    <Button
                      onClick={() => setIsConfirming(true)}
                      disabled={!preview.canCut}
                      loading={isBusy}
                      title={preview.canCut ? undefined : 'A check fails: fix it before cutting.'}
                      data-testid="release-cut-beside-bump"
                    >
                      Cut {preview.tag}…
                    </Button>
                  )}
                </Group>
              </Stack>
            )}

            {preview && (
              <Stack gap="xs" data-testid="release-preview-panel">
                <Title order={3} size="h4">
                  Dry run: v{preview.currentVersion} → v{preview.version} — nothing written yet
                </Title>
                <Table withTableBorder>
                  <Table.Tbody>
                    {preview.checks.map((check) => (
                      <Table.Tr key={check.id} data-testid={`check-${check.id}`}>
                        <Table.Td w={40}>
                          <Text c={checkMark[check.status].color} fw={700} title={check.status}>
                            {checkMark[check.status].symbol}
                          </Text>
                        </Table.Td>
                        <Table.Td>
                          <Text size="sm">{check.label}</Text>
                          {check.detail && (
                            <Text size="xs" c={checkMark[check.status].color} style={{ whiteSpace: 'pre-wrap' }}>
                              {check.detail}
                            </Text>
                          )}
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
                {preview.commitMessage ? (
                  <>
                    <Text size="sm">
                      Files: {preview.files.map((file) => `${file.path} (${file.before} → ${file.after})`).join(', ')}
                    </Text>
                    <Text size="sm">
                      Commit <Code>{preview.commitMessage}</Code>, annotated tag <Code>{preview.tag}</Code>, then one
                      atomic push of the branch and the tag to origin.
                    </Text>
                  </>
                ) : (
                  <Text size="sm" data-testid="release-tag-only">
                    No file is written and no commit made: the version lives in the tags, so HEAD gets the annotated tag{' '}
                    <Code>{preview.tag}</Code>, then one atomic push of the branch and the tag to origin.
                  </Text>
                )}
                <Group justify="space-between">
                  <Text fw={600} size="sm">
                    Release notes
                  </Text>
                  <CopyButton value={preview.notes}>
                    {({ copied, copy }) => (
                      <Button size="xs" variant="subtle" onClick={copy}>
                        {copied ? 'Copied' : 'Copy Markdown'}
                      </Button>
                    )}
                  </CopyButton>
                </Group>
                <Code block data-testid="release-notes">
                  {preview.notes}
                </Code>
                <Group>
                  <Button
                    onClick={() => setIsConfirming(true)}
                    disabled={!preview.canCut}
                    loading={isBusy}
                    data-testid="release-cut"
                  >
                    Cut {preview.tag}
                  </Button>
                  {!preview.canCut && (
                    <Text size="sm" c="red">
                      A check fails: fix it before cutting.
                    </Text>
                  )}
                </Group>
              </Stack>
            )}
          </Stack>
        </Tabs.Panel>
        <Tabs.Panel value="history" pt="sm">
          {selected && <ReleaseHistoryPanel client={client} service={selected} revision={result ? 1 : 0} />}
        </Tabs.Panel>
        <Tabs.Panel value="acceptance" pt="sm">
          <SignoffPanel client={client} />
        </Tabs.Panel>
      </Tabs>

      <Modal opened={isConfirming} onClose={() => setIsConfirming(false)} title={`Cut ${preview?.tag ?? ''}?`} centered>
        <Stack gap="sm">
          <Text size="sm">
            This bumps {selected} to v{preview?.version}, commits, tags {preview?.tag} and pushes both to origin. It is
            recorded in the ledger.
          </Text>
          <Group>
            <Button onClick={() => void runCut()} data-testid="release-confirm">
              Cut and push
            </Button>
            <Button variant="default" onClick={() => setIsConfirming(false)}>
              Cancel
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}
