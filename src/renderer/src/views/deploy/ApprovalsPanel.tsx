import { Badge, Button, Group, Paper, Stack, Text, TextInput } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { ApprovalView, IdentityView } from '../../../../shared/contract';
import type { CockpitClient } from '../../ipc/client';
import { describeApproval, useApprovalsStore } from '../../stores/approvals-store';
import { InlineError } from '../../components/InlineError';

const statusColor: Record<ApprovalView['status'], string> = {
  pending: 'yellow',
  approved: 'teal',
  rejected: 'red',
  expired: 'gray',
};

/**
 * Four eyes in the Deploy view: the environment's exception and override requests — pending ones
 * first, with Approve and Reject for a person with the role (not the requester where four eyes
 * applies) — and who signs here, with whether their key is their roster key.
 */
export function ApprovalsPanel(props: { client: CockpitClient; environment: string }) {
  const all = useApprovalsStore((state) => state.approvals);
  const approvals = all.filter((approval) => approval.environment === props.environment).slice(0, 8);
  const [identity, setIdentity] = useState<IdentityView>();
  useEffect(() => {
    void props.client.invoke('policy:identity', {}).then((reply) => reply.ok && setIdentity(reply.value));
  }, [props.client]);
  if (approvals.length === 0 && !identity?.isSigningOn) return null;
  return (
    <Paper withBorder p="xs" data-testid="approvals-panel">
      <Stack gap={6}>
        <Group justify="space-between">
          <Text size="sm" fw={600}>
            Approvals for {props.environment}
            {approvals.some((approval) => approval.status === 'pending') &&
              ` — ${approvals.filter((approval) => approval.status === 'pending').length} pending`}
          </Text>
          {identity?.isSigningOn && (
            <Text size="xs" c={identity.verified ? 'dimmed' : 'red'} data-testid="signing-identity">
              {identity.verified
                ? `Signing as ${identity.name} (${identity.key?.fingerprint})`
                : `Your approvals will not count: ${identity.problem ?? 'your key is not verified'}`}
            </Text>
          )}
        </Group>
        {approvals.map((approval) => (
          <ApprovalRow key={approval.id} client={props.client} approval={approval} identity={identity} />
        ))}
      </Stack>
    </Paper>
  );
}

function ApprovalRow(props: { client: CockpitClient; approval: ApprovalView; identity?: IdentityView }) {
  const { approval, identity } = props;
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string>();
  const permission = approval.kind === 'hotfix-exception' ? 'hotfix-exception' : 'gate-override';
  const mayDecide = approval.status === 'pending' && (identity?.permissions.includes(permission) ?? false);
  const decide = async (decision: 'approved' | 'rejected') => {
    const reply = await props.client.invoke('approvals:decide', {
      id: approval.id,
      decision,
      ...(reason.trim() ? { reason: reason.trim() } : {}),
    });
    setError(reply.ok ? undefined : reply.error.message);
  };
  return (
    <Stack gap={2} data-testid="approval-row" data-status={approval.status}>
      <Group gap="xs">
        <Badge size="sm" color={statusColor[approval.status]}>
          {approval.status}
        </Badge>
        <Text size="sm">
          {describeApproval(approval)} — asked by {approval.requestedBy}
          {approval.decidedBy &&
            `, ${approval.status === 'rejected' ? 'rejected' : 'approved'} by ${approval.decidedBy}`}
          : {approval.reason}
        </Text>
        {approval.status === 'approved' && !approval.isIndependent && (
          <Badge size="xs" color="orange" variant="light">
            not independent
          </Badge>
        )}
        {!approval.verified && (
          <Badge size="xs" color="red" variant="light">
            not verified
          </Badge>
        )}
      </Group>
      {mayDecide && (
        <Group gap="xs" align="end">
          <TextInput
            size="xs"
            aria-label="Reason for the decision"
            placeholder="Reason (required to reject)"
            value={reason}
            onChange={(event) => setReason(event.currentTarget.value)}
            w={300}
            data-testid="approval-reason"
          />
          <Button size="xs" color="teal" onClick={() => void decide('approved')} data-testid="approval-approve">
            Approve
          </Button>
          <Button
            size="xs"
            color="red"
            variant="light"
            onClick={() => void decide('rejected')}
            data-testid="approval-reject"
          >
            Reject
          </Button>
        </Group>
      )}
      <InlineError message={error} />
    </Stack>
  );
}
