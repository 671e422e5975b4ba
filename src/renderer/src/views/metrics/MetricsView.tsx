import { Alert, Badge, Group, Paper, Select, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { MetricsReport } from '../../../../shared/contract';
import type { CockpitClient } from '../../ipc/client';
import { useLedgerStore } from '../../stores/ledger-store';
import { usePlatformStore } from '../../stores/platform-store';
import { MonthlyReport } from './MonthlyReport';
import { WeeklyTrend } from './WeeklyTrend';

const periods = [
  { value: '7', label: 'Last 7 days' },
  { value: '30', label: 'Last 30 days' },
  { value: '90', label: 'Last 90 days' },
  { value: '365', label: 'Last 12 months' },
];

/** KPIs and DORA metrics of an environment, each against the manual's target, with weekly trends. */
export function MetricsView({ client }: { client: CockpitClient }) {
  const platform = usePlatformStore((state) => state.current?.platform);
  // A new ledger record may change the figures: they are read again.
  const appended = useLedgerStore((state) => state.revision);
  const [environment, setEnvironment] = useState<string | null>(null);
  const [sinceDays, setSinceDays] = useState('30');
  const [result, setResult] = useState<{ report?: MetricsReport; error?: string }>({});
  const selected =
    environment ??
    platform?.environments.find((candidate) => candidate.isProtected)?.id ??
    platform?.environments[0]?.id ??
    null;

  useEffect(() => {
    if (!selected) return;
    let isCurrent = true;
    void client.invoke('metrics:report', { environment: selected, sinceDays: Number(sinceDays) }).then((reply) => {
      if (isCurrent) setResult(reply.ok ? { report: reply.value } : { error: reply.error.message });
    });
    return () => {
      isCurrent = false;
    };
  }, [client, selected, sinceDays, appended]);

  if (!platform)
    return (
      <Stack p="md" data-testid="view-metrics">
        <Title order={2}>Metrics</Title>
        <Text c="dimmed">Open a platform to see its delivery metrics.</Text>
      </Stack>
    );
  const { report, error } = result;
  return (
    <Stack gap="sm" p="md" data-testid="view-metrics">
      <Title order={2}>Metrics</Title>
      <Text size="sm" c="dimmed">
        From the ledger and the services’ repositories; each figure says how it was computed.
      </Text>
      <Group gap="sm">
        <Select
          label="Environment"
          data={platform.environments.map((candidate) => ({ value: candidate.id, label: candidate.name }))}
          value={selected}
          onChange={setEnvironment}
          allowDeselect={false}
          w={200}
        />
        <Select
          label="Period"
          data={periods}
          value={sinceDays}
          onChange={(value) => value && setSinceDays(value)}
          allowDeselect={false}
          w={200}
        />
      </Group>
      {error && <Alert color="red">{error}</Alert>}
      {report && (
        <>
          <SimpleGrid cols={{ base: 2, md: 4 }} spacing="xs" data-testid="metrics-kpis">
            {report.kpis.map((kpi) => (
              <Paper key={kpi.id} withBorder p="xs" data-testid={`kpi-${kpi.id}`}>
                <Text size="xs" c="dimmed">
                  {kpi.title}
                </Text>
                <Group gap={6} align="baseline">
                  <Text fw={700} size="lg">
                    {kpi.value === undefined ? '—' : `${kpi.value}${kpi.unit === '%' ? ' %' : ` ${kpi.unit}`}`}
                  </Text>
                  {kpi.caveat && (
                    <Badge size="xs" color="gray" variant="light" title={kpi.caveat} data-testid="kpi-too-few">
                      too few to judge
                    </Badge>
                  )}
                  {kpi.isMet !== undefined && (
                    <Badge size="xs" color={kpi.isMet ? 'teal' : 'red'} variant="light">
                      {kpi.isMet ? 'on target' : 'off target'}
                    </Badge>
                  )}
                </Group>
                <Text size="xs" c="dimmed">
                  {kpi.target ? `target ${kpi.target} · ` : ''}
                  {kpi.detail}
                  {kpi.caveat ? ` · ${kpi.caveat}` : ''}
                </Text>
              </Paper>
            ))}
          </SimpleGrid>
          <Title order={3} size="h5">
            Deploys per week (succeeded, failed; ↺ rollbacks) and mean deploy time
          </Title>
          <WeeklyTrend weeks={report.weeks} />
          <Table withTableBorder striped data-testid="metrics-services">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Service</Table.Th>
                <Table.Th>Deploys</Table.Th>
                <Table.Th>Success rate</Table.Th>
                <Table.Th>Mean step</Table.Th>
                <Table.Th>Rollbacks</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {report.services.map((service) => (
                <Table.Tr key={service.service}>
                  <Table.Td>{service.service}</Table.Td>
                  <Table.Td>
                    {service.succeeded} / {service.deploys}
                  </Table.Td>
                  <Table.Td>{service.successRate === undefined ? '—' : `${service.successRate} %`}</Table.Td>
                  <Table.Td>{service.meanStepMinutes === undefined ? '—' : `${service.meanStepMinutes} min`}</Table.Td>
                  <Table.Td>{service.rollbacks}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          {report.services.length === 0 && (
            <Text size="sm" c="dimmed">
              No deploy to {report.environment} is in the ledger for this period.
            </Text>
          )}
          <MonthlyReport client={client} />
        </>
      )}
    </Stack>
  );
}
