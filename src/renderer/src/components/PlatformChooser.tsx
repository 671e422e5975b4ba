/**
 * The three ways to a platform: a file (the desktop's open dialog, or a path in the browser),
 * one made from Coolify, or the demo — and the recent files. In a dialog from the header (Ctrl+O),
 * and in place of the views when no platform is open yet.
 */
import {
  Button,
  Divider,
  Group,
  Modal,
  PasswordInput,
  Select,
  Stack,
  Text,
  TextInput,
  Title,
  UnstyledButton,
} from '@mantine/core';
import { useEffect, useState } from 'react';
import type { CommandOutput } from '../../../shared/contract';
import type { CockpitClient } from '../ipc/client';
import { InlineError } from './InlineError';

type Recent = CommandOutput<'platform:recent'>;

export function PlatformChooserDialog({
  client,
  opened,
  onClose,
}: {
  client: CockpitClient;
  opened: boolean;
  onClose: () => void;
}) {
  return (
    <Modal opened={opened} onClose={onClose} title="Open a platform" size="lg">
      {opened && <PlatformChooser client={client} onOpened={onClose} />}
    </Modal>
  );
}

/** The chooser itself; `onOpened` runs once a platform opened without problems. */
export function PlatformChooser({ client, onOpened }: { client: CockpitClient; onOpened?: () => void }) {
  const [recent, setRecent] = useState<Recent>();
  const [path, setPath] = useState('');
  const [error, setError] = useState<string>();
  const [isBusy, setIsBusy] = useState(false);
  const [showsCoolify, setShowsCoolify] = useState(false);

  useEffect(() => {
    void client.invoke('platform:recent', {}).then((reply) => reply.ok && setRecent(reply.value));
  }, [client]);

  const open = async (input: { file: string } | { demo: true }) => {
    setIsBusy(true);
    setError(undefined);
    const reply = await client.invoke('platform:open', input);
    setIsBusy(false);
    if (!reply.ok) return setError(reply.error.message);
    if (reply.value.problems.length > 0)
      return setError(`It has problems (shown above the views): ${reply.value.problems[0]}`);
    onOpened?.();
  };

  const chooseFile = async () => {
    const reply = await client.invoke('platform:choose-file', {});
    if (!reply.ok) return setError(reply.error.message);
    if (reply.value.file) await open({ file: reply.value.file });
  };

  return (
    <Stack gap="md" data-testid="platform-chooser">
      {recent && recent.recent.length > 0 && (
        <Stack gap={4}>
          <Text size="sm" fw={600}>
            Recent
          </Text>
          {recent.recent.map((entry) => (
            <UnstyledButton
              key={entry.file}
              onClick={() => void open({ file: entry.file })}
              disabled={isBusy}
              data-testid="recent-platform"
            >
              <Text size="sm">{entry.name}</Text>
              <Text size="xs" c="dimmed" ff="monospace">
                {entry.file}
              </Text>
            </UnstyledButton>
          ))}
        </Stack>
      )}
      <Stack gap={4}>
        <Text size="sm" fw={600}>
          A platform file
        </Text>
        {recent?.canChooseFile ? (
          <Group>
            <Button onClick={() => void chooseFile()} loading={isBusy} data-testid="choose-platform-file">
              Choose a file…
            </Button>
          </Group>
        ) : (
          <form
            onSubmit={(event) => {
              event.preventDefault();
              if (path.trim()) void open({ file: path.trim() });
            }}
          >
            <Group align="end">
              <TextInput
                label="Path of the platform file"
                placeholder="/home/me/platforms/penpal-ai.yaml"
                value={path}
                onChange={(event) => setPath(event.currentTarget.value)}
                w={420}
                data-testid="platform-path"
              />
              <Button type="submit" loading={isBusy} disabled={!path.trim()} data-testid="open-platform-path">
                Open
              </Button>
            </Group>
          </form>
        )}
      </Stack>
      <Group gap="sm">
        <Button variant="default" onClick={() => setShowsCoolify((shows) => !shows)} data-testid="new-from-coolify">
          New platform from Coolify…
        </Button>
        <Button variant="subtle" onClick={() => void open({ demo: true })} loading={isBusy} data-testid="open-demo">
          Try the demo
        </Button>
      </Group>
      <InlineError message={error} />
      {showsCoolify && (
        <>
          <Divider />
          <CoolifyImport client={client} onOpened={onOpened} />
        </>
      )}
    </Stack>
  );
}

/** A platform file proposed from a Coolify server; the token goes into the keychain. */
function CoolifyImport({ client, onOpened }: { client: CockpitClient; onOpened?: () => void }) {
  const [apiUrl, setApiUrl] = useState('');
  const [token, setToken] = useState('');
  const [out, setOut] = useState('');
  const [projects, setProjects] = useState<{ uuid: string; name: string }[]>();
  const [project, setProject] = useState<string | null>(null);
  const [error, setError] = useState<string>();
  const [done, setDone] = useState<string>();
  const [isBusy, setIsBusy] = useState(false);

  const submit = async () => {
    setIsBusy(true);
    setError(undefined);
    const reply = await client.invoke('platform:import-coolify', {
      apiUrl: apiUrl.trim(),
      token: token.trim(),
      out: out.trim(),
      ...(project ? { project } : {}),
    });
    setIsBusy(false);
    if (!reply.ok) {
      const listed = (reply.error.details as { projects?: { uuid: string; name: string }[] } | undefined)?.projects;
      if (listed) setProjects(listed);
      return setError(reply.error.message);
    }
    setToken('');
    setDone(
      `${reply.value.file}: ${reply.value.services} services × ${reply.value.environments} environments. Check its TODO comments.`,
    );
    if (reply.value.state.problems.length === 0) onOpened?.();
  };

  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <Stack gap="xs" data-testid="coolify-import">
        <Title order={4}>New platform from Coolify</Title>
        <Text size="xs" c="dimmed">
          Reads your projects, environments and applications; proposes one service per application. Dependencies,
          databases and windows are flagged for you to add.
        </Text>
        <TextInput
          label="Coolify API"
          placeholder="https://coolify.example.com/api/v1"
          value={apiUrl}
          onChange={(event) => setApiUrl(event.currentTarget.value)}
          required
          data-testid="coolify-api-url"
        />
        <PasswordInput
          label="API token (kept in the keychain, never in the file)"
          value={token}
          onChange={(event) => setToken(event.currentTarget.value)}
          required
          data-testid="coolify-token"
        />
        {projects && (
          <Select
            label="Project"
            data={projects.map((entry) => ({ value: entry.uuid, label: `${entry.name} (${entry.uuid})` }))}
            value={project}
            onChange={setProject}
            data-testid="coolify-project"
          />
        )}
        <TextInput
          label="Save the platform file as"
          placeholder="/home/me/platforms/penpal-ai.yaml"
          value={out}
          onChange={(event) => setOut(event.currentTarget.value)}
          required
          data-testid="coolify-out"
        />
        <Group>
          <Button type="submit" loading={isBusy} data-testid="coolify-import-submit">
            Import
          </Button>
        </Group>
        <InlineError message={error} />
        {done && (
          <Text size="sm" c="teal" data-testid="coolify-imported">
            {done}
          </Text>
        )}
      </Stack>
    </form>
  );
}
