import { OutboxPanel } from './OutboxPanel';
import { RotationPanel } from './RotationPanel';
import { Alert, Badge, Button, Code, Group, Modal, Stack, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import type { CredentialSummary } from '../../../../shared/contract';
import { useMoment } from '../../hooks/use-moment';
import type { CockpitClient } from '../../ipc/client';
import { useCredentialsStore } from '../../stores/credentials-store';
import { usePlatformStore } from '../../stores/platform-store';
import { CredentialForm } from './CredentialForm';
import { SigningKeyPanel } from './SigningKeyPanel';

/** The platform file, where credentials are kept, and the credentials themselves. */
export function SettingsView({ client }: { client: CockpitClient }) {
  const moment = useMoment();
  const current = usePlatformStore((state) => state.current);
  const list = useCredentialsStore((state) => state.list);
  const loadError = useCredentialsStore((state) => state.loadError);
  const [editing, setEditing] = useState<CredentialSummary>();
  const [deleting, setDeleting] = useState<CredentialSummary>();
  const [actionError, setActionError] = useState<string>();

  const setValue = async (credential: CredentialSummary, value: string) => {
    const reply = await client.invoke('credentials:set', { id: credential.id, value });
    if (!reply.ok) return reply.error.message;
    setEditing(undefined);
    return undefined;
  };

  const confirmDelete = async () => {
    if (!deleting) return;
    const reply = await client.invoke('credentials:delete', { id: deleting.id });
    setActionError(reply.ok ? undefined : reply.error.message);
    setDeleting(undefined);
  };

  return (
    <Stack gap="md" p="md" data-testid="view-settings">
      <Title order={2}>Settings</Title>

      <Stack gap={4}>
        <Title order={3} size="h4">
          Platform
        </Title>
        {current?.platform ? (
          <Text size="sm" data-testid="platform-name">
            {current.platform.name} — <Code>{current.platform.file}</Code>
            {current.platform.source === 'demo' ? ' (embedded demo platform)' : ''}
          </Text>
        ) : (
          <Alert color="orange" title="No platform loaded" data-testid="platform-problems">
            {(current?.problems ?? ['Waiting for the core…']).map((problem) => (
              <Text key={problem} size="sm" ff="monospace">
                {problem}
              </Text>
            ))}
          </Alert>
        )}
      </Stack>

      {current?.platform && <SigningKeyPanel client={client} />}

      {list && (
        <Stack gap="xs">
          <Title order={3} size="h4">
            Credentials
          </Title>
          {list.status.isPersistent ? (
            <Text size="sm" c="dimmed" data-testid="vault-status">
              {list.status.message}
            </Text>
          ) : (
            <Alert color="yellow" title="Session-only credentials" data-testid="vault-status">
              <Text size="sm">{list.status.message}</Text>
              {list.status.fix && (
                <Text size="sm" mt="xs">
                  To fix: {list.status.fix}
                </Text>
              )}
            </Alert>
          )}
          {actionError && (
            <Alert color="red" withCloseButton onClose={() => setActionError(undefined)}>
              {actionError}
            </Alert>
          )}
          <Table striped highlightOnHover data-testid="credentials-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Credential</Table.Th>
                <Table.Th>Kind</Table.Th>
                <Table.Th>State</Table.Th>
                <Table.Th>Last set</Table.Th>
                <Table.Th>Rotation due</Table.Th>
                <Table.Th>Actions</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.credentials.map((credential) => (
                <Table.Tr key={credential.id} data-testid={`credential-${credential.id}`}>
                  <Table.Td>
                    <Text size="sm" fw={600}>
                      {credential.id}
                    </Text>
                    {credential.description && (
                      <Text size="xs" c="dimmed">
                        {credential.description}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{credential.kind}</Text>
                  </Table.Td>
                  <Table.Td>
                    <Badge color={credential.isSet ? 'teal' : 'gray'} variant="light" data-testid="credential-state">
                      {credential.isSet ? 'Set' : 'Not set'}
                    </Badge>
                    {credential.problem && (
                      <Text size="xs" c="red" data-testid="credential-problem">
                        {credential.problem}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{moment(credential.lastSetAt)}</Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" c={credential.isRotationDue ? 'red' : undefined}>
                      {moment(credential.rotationDueAt)}
                      {credential.isRotationDue ? ' (overdue)' : ''}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Group gap="xs">
                      <Button size="xs" variant="light" onClick={() => setEditing(credential)}>
                        {credential.isSet ? 'Replace' : 'Set'}
                      </Button>
                      {credential.isSet && (
                        <Button size="xs" variant="subtle" color="red" onClick={() => setDeleting(credential)}>
                          Delete
                        </Button>
                      )}
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Stack>
      )}
      {loadError && <Alert color="red">{loadError}</Alert>}
      {current?.platform && <RotationPanel client={client} />}
      {current?.platform && <OutboxPanel client={client} />}

      <Modal opened={editing !== undefined} onClose={() => setEditing(undefined)} title="Set a credential" centered>
        {editing && (
          <CredentialForm
            credential={editing}
            onSubmit={(value) => setValue(editing, value)}
            onCancel={() => setEditing(undefined)}
          />
        )}
      </Modal>
      <Modal
        opened={deleting !== undefined}
        onClose={() => setDeleting(undefined)}
        title="Delete a credential"
        centered
      >
        {deleting && (
          <Stack gap="sm">
            <Text size="sm">
              Delete <b>{deleting.id}</b> from the keychain? Deploys and notifications that need it will stop working
              until it is set again.
            </Text>
            <Group gap="xs">
              <Button
                color="red"
                size="xs"
                onClick={() => void confirmDelete()}
                data-testid="credential-delete-confirm"
              >
                Delete
              </Button>
              <Button variant="default" size="xs" onClick={() => setDeleting(undefined)}>
                Keep it
              </Button>
            </Group>
          </Stack>
        )}
      </Modal>
    </Stack>
  );
}
