import { Badge, Button, Group, Stack, Text, TextInput, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { IdentityView } from '../../../../shared/contract';
import type { CockpitClient } from '../../ipc/client';
import { InlineError } from '../../components/InlineError';

/**
 * Who signs here: the person the roster knows, the SSH key their approvals and sign-offs are signed
 * with (chosen here, else git's user.signingkey), and whether it is their roster key.
 */
export function SigningKeyPanel({ client }: { client: CockpitClient }) {
  const [identity, setIdentity] = useState<IdentityView>();
  const [key, setKey] = useState('');
  const [error, setError] = useState<string>();
  useEffect(() => {
    void client.invoke('policy:identity', {}).then((reply) => reply.ok && setIdentity(reply.value));
  }, [client]);
  const save = async (value: string) => {
    const reply = await client.invoke('identity:set-signing-key', { key: value });
    if (!reply.ok) return setError(reply.error.message);
    setError(undefined);
    setIdentity(reply.value);
  };
  if (!identity) return null;
  return (
    <Stack gap="xs" data-testid="signing-key">
      <Title order={3} size="h4">
        Signing identity
      </Title>
      <Group gap="xs">
        <Text size="sm" data-testid="identity-summary">
          You are {identity.name}
          {identity.email ? ` <${identity.email}>` : ''} — roles:{' '}
          {identity.roles.length > 0
            ? identity.roles.join(', ')
            : identity.isInRoster
              ? 'none'
              : 'none (not in the roster: ask a maintainer to add you)'}
        </Text>
        <Badge size="sm" color={identity.verified ? 'teal' : identity.isSigningOn ? 'red' : 'gray'}>
          {identity.verified ? 'verified' : 'not verified'}
        </Badge>
      </Group>
      <Text size="sm" c="dimmed">
        Key: {identity.key?.fingerprint ?? 'none'} (
        {identity.key?.source === 'settings'
          ? 'chosen here'
          : identity.key?.source === 'git'
            ? "git's user.signingkey"
            : 'not configured'}
        ){identity.problem ? ` — ${identity.problem}` : ''}
      </Text>
      <Group align="end" gap="xs">
        <TextInput
          size="xs"
          label="SSH key to sign with: a key file, or the public key your agent holds"
          placeholder="~/.ssh/id_ed25519"
          value={key}
          onChange={(event) => setKey(event.currentTarget.value)}
          w={420}
          data-testid="signing-key-input"
        />
        <Button size="xs" onClick={() => void save(key)} data-testid="signing-key-save">
          Use this key
        </Button>
        {identity.key?.source === 'settings' && (
          <Button size="xs" variant="light" onClick={() => void save('')}>
            Use git&apos;s key
          </Button>
        )}
      </Group>
      <InlineError message={error} />
    </Stack>
  );
}
