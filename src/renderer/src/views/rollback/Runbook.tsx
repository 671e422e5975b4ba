import { Badge, Group, List, Text } from '@mantine/core';
import type { RunbookStep } from '../../../../shared/contract';

/** A level's runbook: what each step does and touches, and which steps need the network. */
export function Runbook({ level, steps }: { level: number; steps: RunbookStep[] }) {
  const offline = steps.filter((step) => !step.needsNetwork).length;
  return (
    <details data-testid="rollback-runbook">
      <summary>
        <Text span size="sm">
          Runbook of level {level}: {steps.length} steps, {offline} can proceed offline
        </Text>
      </summary>
      <List size="sm" type="ordered" mt="xs">
        {steps.map((step) => (
          <List.Item key={step.id}>
            <Group gap={6}>
              <Text size="sm" fw={500}>
                {step.title}
              </Text>
              <Badge size="xs" variant="light" color={step.needsNetwork ? 'yellow' : 'teal'}>
                {step.needsNetwork ? 'needs the network' : 'works offline'}
              </Badge>
              {step.changesSomething && (
                <Badge size="xs" variant="light" color="orange">
                  asks first
                </Badge>
              )}
            </Group>
            <Text size="xs" c="dimmed">
              {step.touches}
            </Text>
          </List.Item>
        ))}
      </List>
    </details>
  );
}
