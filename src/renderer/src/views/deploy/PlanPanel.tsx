import { Alert, Anchor, Badge, Group, Stack, Table, Text, Tooltip } from '@mantine/core';
import { useState } from 'react';
import type { DeployPlanView, DeployStepProgress, GateVerdict, StepGate } from '../../../../shared/contract';
import { useMoment } from '../../hooks/use-moment';
import { formatDuration } from '../../../../shared/time-format';

export const statusColor: Record<DeployStepProgress['status'], string> = {
  pending: 'gray',
  running: 'blue',
  verifying: 'indigo',
  succeeded: 'teal',
  failed: 'red',
  skipped: 'gray',
  'not-started': 'gray',
};

export const verdictColor: Record<GateVerdict, string> = {
  pass: 'teal',
  warn: 'yellow',
  block: 'red',
  unknown: 'gray',
};

/** Every gate of a plan with its verdict and evidence: the same list as `cockpit gates`. */
export function GateList({ gates }: { gates: StepGate[] }) {
  if (gates.length === 0)
    return (
      <Text size="sm" c="dimmed">
        No gate applies to this environment.
      </Text>
    );
  return (
    <Stack gap={2} data-testid="plan-gates">
      {gates.map((gate) => (
        <Group key={gate.id} gap="xs" wrap="nowrap" align="start" data-testid={`plan-gate-${gate.id}`}>
          <Badge color={verdictColor[gate.verdict]} variant="light" w={88} style={{ flexShrink: 0 }}>
            {gate.verdict}
          </Badge>
          <Text size="sm">
            <Text span fw={600} size="sm">
              {gate.title}
            </Text>{' '}
            — {gate.evidence}
          </Text>
        </Group>
      ))}
    </Stack>
  );
}

/**
 * The gates in a line while they pass or cannot tell (each step's row shows its own), with what
 * blocks or warns in full; the whole list one click away (and always in the review).
 */
function GateSummary({ gates }: { gates: StepGate[] }) {
  const [isOpen, setIsOpen] = useState(false);
  const concerns = gates.filter((gate) => gate.verdict === 'block' || gate.verdict === 'warn');
  const counts = (['block', 'warn', 'pass', 'unknown'] as const)
    .map((verdict) => [verdict, gates.filter((gate) => gate.verdict === verdict).length] as const)
    .filter(([, count]) => count > 0);
  if (gates.length === 0) return <GateList gates={gates} />;
  return (
    <Stack gap={4} data-testid="plan-gate-summary">
      <Group gap="xs">
        <Text size="sm">
          Gates: {counts.map(([verdict, count]) => `${count} ${verdict === 'block' ? 'blocking' : verdict}`).join(', ')}
        </Text>
        <Anchor component="button" size="sm" onClick={() => setIsOpen(!isOpen)} aria-expanded={isOpen}>
          {isOpen ? 'Hide the list' : 'Show every gate'}
        </Anchor>
      </Group>
      {isOpen ? <GateList gates={gates} /> : concerns.length > 0 && <GateList gates={concerns} />}
    </Stack>
  );
}

/** The plan on screen: its identity and age, window, gates, marks, and each step with its state. */
export function PlanPanel(props: {
  plan: DeployPlanView;
  steps: Record<string, DeployStepProgress>;
  isRunning: boolean;
  hasRun: boolean;
  now: number;
}) {
  const moment = useMoment();
  const { plan, steps } = props;
  const ageMinutes = Math.max(0, Math.floor((props.now - Date.parse(plan.createdAt)) / 60_000));
  const isExpired = props.now > Date.parse(plan.expiresAt);
  return (
    <Stack gap="xs" data-testid="deploy-plan-panel">
      <Group gap="xs">
        <Text size="sm" fw={600}>
          Plan {plan.planId}
        </Text>
        <Text size="xs" c={isExpired ? 'red' : 'dimmed'} data-testid="plan-age">
          made {ageMinutes} min ago · {isExpired ? 'expired: plan again' : `valid until ${moment(plan.expiresAt)}`}
        </Text>
      </Group>
      <Text size="sm" c={plan.window.isOpen ? undefined : 'red'} data-testid="plan-window">
        Window: {plan.window.isOpen ? 'open' : 'closed'} — {plan.window.exception ?? plan.window.reason}
      </Text>
      {plan.marks.length > 0 && (
        <Alert color="orange" p="xs" data-testid="plan-marks">
          {plan.marks.map((mark) => (
            <Text key={`${mark.service}-${mark.version}`} size="sm">
              {mark.service} v{mark.version} is marked bad by {mark.markedBy}: {mark.reason}
            </Text>
          ))}
        </Alert>
      )}
      <GateSummary gates={plan.gates} />
      <Table withTableBorder data-testid="deploy-steps">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Wave</Table.Th>
            <Table.Th>Service</Table.Th>
            <Table.Th>Change</Table.Th>
            <Table.Th>Checks</Table.Th>
            <Table.Th>State</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {plan.waves.flatMap((wave, index) =>
            wave.map((step) => {
              const progress = props.hasRun ? steps[step.service] : undefined;
              return (
                <Table.Tr key={step.service} data-testid={`deploy-step-${step.service}`}>
                  <Table.Td>{index + 1}</Table.Td>
                  <Table.Td>
                    {step.service}
                    {step.dependsOn.length > 0 && (
                      <Text size="xs" c="dimmed">
                        after {step.dependsOn.join(', ')}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>{step.action === 'skip' ? `skip: ${step.reason}` : step.reason}</Table.Td>
                  <Table.Td>
                    <Group gap={4}>
                      {step.gates?.map((gate) => (
                        <Tooltip key={gate.id} label={gate.evidence} multiline maw={360}>
                          <Badge
                            color={verdictColor[gate.verdict]}
                            variant="outline"
                            size="sm"
                            data-testid={`gate-${gate.id}`}
                          >
                            {gate.title}: {gate.verdict}
                          </Badge>
                        </Tooltip>
                      ))}
                    </Group>
                  </Table.Td>
                  <Table.Td>
                    <Badge
                      color={statusColor[progress?.status ?? 'pending']}
                      variant="light"
                      data-testid="deploy-step-status"
                    >
                      {progress?.status ?? (props.hasRun ? 'pending' : 'planned')}
                    </Badge>{' '}
                    <Text span size="xs" c="dimmed" data-testid="deploy-step-detail">
                      {progress?.detail}
                    </Text>
                    {progress?.durationMs !== undefined && (
                      <Text span size="xs" c="dimmed" data-testid="deploy-step-duration">
                        {' '}
                        · {formatDuration(progress.durationMs)}
                      </Text>
                    )}
                  </Table.Td>
                </Table.Tr>
              );
            }),
          )}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}
