import { Anchor, Badge, Button, Code, Group, Stack, Text, Title, Tooltip } from '@mantine/core';
import type { ReactNode } from 'react';
import type { MatrixCell } from '../../../../shared/contract';
import type { LedgerRecord } from '../../../../shared/ledger-record';
import { useMoment } from '../../hooks/use-moment';
import { openLedgerOn } from '../../stores/ledger-store';
import { useViewStore } from '../../stores/view-store';
import classes from './MatrixView.module.css';
import { Sparkline } from './Sparkline';
import { statusStyle } from './status-style';

/**
 * One cell of the Matrix: what runs there and how it answers, who deployed it and when (from the
 * ledger), its marks, and what to do next — deploy it, roll it back, cut a release, read its history.
 */
export function CellDetails({
  cell,
  serviceName,
  environmentName,
  deployments,
}: {
  cell: MatrixCell;
  serviceName: string;
  environmentName: string;
  /** The service's deploy records, newest first. */
  deployments: LedgerRecord[] | undefined;
}) {
  const moment = useMoment();
  const openView = useViewStore((state) => state.openView);
  const style = statusStyle[cell.status];
  const lastDeploy = deployments?.find(
    (record) =>
      record.action === 'deploy.step' && record.status === 'succeeded' && record.environment === cell.environment,
  );
  const latencies = cell.latencyHistory;
  return (
    <Stack gap={6} data-testid="cell-details" aria-label={`${serviceName} in ${environmentName}`}>
      <Title order={4} size="h5">
        {serviceName} in {environmentName}
      </Title>
      <Group gap="xs">
        <Text size="sm" c={style.color} fw={600} data-testid="cell-details-status">
          {style.symbol} {style.label}
        </Text>
        {cell.httpStatus !== undefined && (
          <Badge size="xs" variant="outline" color="gray" tt="none">
            HTTP {cell.httpStatus}
          </Badge>
        )}
        {cell.isLastKnown && (
          <Tooltip label="The service does not answer now: this is what it reported last.">
            <Badge size="xs" variant="light" color="gray" tt="none">
              last known
            </Badge>
          </Tooltip>
        )}
      </Group>
      <dl className={classes.facts}>
        <Fact term="Version">
          <Text span size="sm" ff="monospace" data-testid="cell-details-version">
            {cell.deployedVersion ? `v${cell.deployedVersion}` : 'not reported'}
          </Text>
        </Fact>
        <Fact term="Commit">
          <Text span size="sm" ff="monospace" title={cell.commit}>
            {cell.commit ? cell.commit.slice(0, 12) : 'not reported'}
          </Text>
        </Fact>
        <Fact term="Deployed">
          <Text span size="sm" data-testid="cell-details-deployed">
            {lastDeploy
              ? `${moment(lastDeploy.time)} by ${lastDeploy.actor.name}`
              : deployments
                ? 'no deploy from the cockpit in the ledger'
                : 'reading the ledger…'}
          </Text>
        </Fact>
        <Fact term="Health URL">
          <Anchor size="sm" href={cell.url} target="_blank" rel="noreferrer" ff="monospace">
            {cell.url}
          </Anchor>
        </Fact>
        <Fact term="Checked">
          <Text span size="sm">
            {cell.checkedAt ? moment(cell.checkedAt) : 'not yet'}
          </Text>
        </Fact>
        {cell.lastUpAt && cell.status !== 'up' && (
          <Fact term="Last up">
            <Text span size="sm">
              {moment(cell.lastUpAt)}
            </Text>
          </Fact>
        )}
        <Fact term="Latency">
          <Group gap={6} wrap="nowrap">
            <Text span size="sm" data-testid="cell-details-latency">
              {cell.latencyMs !== undefined ? `${Math.round(cell.latencyMs)} ms` : '—'}
              {latencies.length > 1
                ? ` (last ${latencies.length}: ${Math.round(Math.min(...latencies))}–${Math.round(Math.max(...latencies))} ms)`
                : ''}
            </Text>
            <Sparkline values={latencies} width={96} height={18} />
          </Group>
        </Fact>
        {cell.error && (
          <Fact term="Problem">
            <Text span size="sm" c={style.color}>
              {cell.error}
            </Text>
          </Fact>
        )}
        {cell.marks?.rolledBackFrom && (
          <Fact term="Rolled back">
            <Text span size="sm" c="orange">
              from v{cell.marks.rolledBackFrom} (marked bad; it stays out until a person marks it good)
            </Text>
          </Fact>
        )}
        {cell.marks?.hold && (
          <Fact term="Held">
            <Text span size="sm" c="orange">
              by {cell.marks.hold.holder}: {cell.marks.hold.reason}
            </Text>
          </Fact>
        )}
      </dl>
      {cell.payload !== undefined && (
        <details data-testid="cell-details-payload">
          <summary>
            <Text span size="sm">
              What the health endpoint answered (last probe)
            </Text>
          </summary>
          <Code block className={classes.payload} data-testid="cell-details-payload-text">
            {cell.payload}
          </Code>
        </details>
      )}
      <Group gap="xs" data-testid="cell-actions">
        <Button
          size="xs"
          onClick={() => openView('deploy', { service: cell.service, environment: cell.environment })}
          data-testid="cell-action-deploy"
        >
          Deploy this service…
        </Button>
        <Button
          size="xs"
          variant="light"
          color="orange"
          onClick={() => openView('rollback', { service: cell.service, environment: cell.environment })}
          data-testid="cell-action-rollback"
        >
          Roll back…
        </Button>
        <Button
          size="xs"
          variant="default"
          onClick={() => openView('releases', { service: cell.service })}
          data-testid="cell-action-release"
        >
          Cut a release…
        </Button>
        <Button
          size="xs"
          variant="subtle"
          onClick={() => openLedgerOn({ service: cell.service, environment: cell.environment })}
          data-testid="cell-action-history"
        >
          History
        </Button>
      </Group>
    </Stack>
  );
}

function Fact({ term, children }: { term: string; children: ReactNode }) {
  return (
    <>
      <Text component="dt" size="sm" c="dimmed">
        {term}
      </Text>
      <dd>{children}</dd>
    </>
  );
}
