import { Alert, Button, Group, Modal, Stack, Table, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import type { DeployPlanView } from '../../../../shared/contract';
import { GateList } from './PlanPanel';

/**
 * The review before a protected environment changes: each service from → to, the window or the
 * exception in force, every gate with its evidence — and the environment's name typed to go on.
 */
export function DeployReview(props: {
  plan: DeployPlanView;
  environmentName: string;
  isOpen: boolean;
  isStarting: boolean;
  onCancel: () => void;
  onConfirm: (typed: string) => void;
}) {
  const [typed, setTyped] = useState('');
  const { plan } = props;
  const deploying = plan.waves.flat().filter((step) => step.action === 'deploy');
  const matches = [plan.environment, props.environmentName].some(
    (name) => name.toLowerCase() === typed.trim().toLowerCase(),
  );
  const blocking = plan.gates.filter((gate) => gate.verdict === 'block');
  return (
    <Modal
      opened={props.isOpen}
      onClose={props.onCancel}
      title={`Review the deploy to ${props.environmentName}`}
      size="xl"
      data-testid="deploy-review"
    >
      <Stack gap="sm">
        <Table withTableBorder data-testid="review-changes">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Service</Table.Th>
              <Table.Th>Runs now</Table.Th>
              <Table.Th>Will run</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {plan.waves.flat().map((step) => (
              <Table.Tr key={step.service}>
                <Table.Td>{step.service}</Table.Td>
                <Table.Td>{step.runningVersion ? `v${step.runningVersion}` : 'unknown'}</Table.Td>
                <Table.Td>{step.action === 'skip' ? `unchanged (${step.reason})` : `v${step.version}`}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        <Text size="sm" c={plan.window.isOpen ? undefined : 'red'} data-testid="review-window">
          Window: {plan.window.isOpen ? 'open' : 'closed'} — {plan.window.exception ?? plan.window.reason}
        </Text>
        <GateList gates={plan.gates} />
        {blocking.length > 0 && (
          <Alert color="red" p="xs">
            {blocking.length} gate{blocking.length === 1 ? '' : 's'} block this deploy: the start will be refused unless
            they are overridden.
          </Alert>
        )}
        <TextInput
          label={`Type "${plan.environment}" to deploy ${deploying.length} service${deploying.length === 1 ? '' : 's'} to ${props.environmentName}`}
          value={typed}
          onChange={(event) => setTyped(event.currentTarget.value)}
          data-testid="review-confirmation"
          autoFocus
        />
        <Group justify="end">
          <Button variant="default" onClick={props.onCancel}>
            Cancel
          </Button>
          <Button
            color="red"
            disabled={!matches}
            loading={props.isStarting}
            onClick={() => props.onConfirm(typed.trim())}
            data-testid="review-start"
          >
            Deploy to {props.environmentName}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
