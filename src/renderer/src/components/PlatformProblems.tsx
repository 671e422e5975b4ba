/**
 * Above every view: the problems of the platform file, each as `file:line:column: message` with
 * the line's text, and what runs meanwhile (the last good platform). In the desktop app, buttons
 * open the file in the editor or show it in its folder; saving the fix reloads it.
 */
import { Alert, Button, Code, Group, Stack, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { CockpitClient } from '../ipc/client';
import { usePlatformStore } from '../stores/platform-store';
import { InlineError } from './InlineError';

export function PlatformProblems({ client }: { client: CockpitClient }) {
  const current = usePlatformStore((state) => state.current);
  const [canOpenInEditor, setCanOpenInEditor] = useState(false);
  const [error, setError] = useState<string>();
  useEffect(() => {
    void client
      .invoke('platform:recent', {})
      .then((reply) => reply.ok && setCanOpenInEditor(reply.value.canOpenInEditor));
  }, [client]);

  if (current?.isReloadPending)
    return (
      <Alert color="blue" m="md" mb={0} data-testid="platform-reload-pending">
        The platform file changed: it is reloaded when the deploy or rollback under way ends.
      </Alert>
    );
  const details = current?.problemDetails;
  if (!current || !details || details.length === 0) return null;
  const reveal = async (how: 'editor' | 'folder') => {
    const reply = await client.invoke('platform:reveal', { how });
    setError(reply.ok ? undefined : reply.error.message);
  };
  const file = current.problemsFile ?? details[0]!.file;
  return (
    <Alert
      color="orange"
      m="md"
      mb={0}
      title={
        current.platform
          ? `${file} has ${details.length} problem${details.length === 1 ? '' : 's'} — ${current.platform.name} stays open as it was`
          : `${file} cannot be opened: ${details.length} problem${details.length === 1 ? '' : 's'}`
      }
      data-testid="platform-file-problems"
    >
      <Stack gap={6}>
        {details.slice(0, 20).map((problem) => (
          <Stack key={`${problem.line}:${problem.column}:${problem.message}`} gap={2} data-testid="platform-problem">
            <Text size="sm" ff="monospace">
              {`${problem.file}:${problem.line}:${problem.column}: ${problem.path ? `${problem.path}: ` : ''}${problem.message}`}
            </Text>
            {problem.lineText && (
              <Code block data-testid="platform-problem-line">
                {`${String(problem.line).padStart(4)} | ${problem.lineText}`}
              </Code>
            )}
          </Stack>
        ))}
        {details.length > 20 && <Text size="xs">…and {details.length - 20} more.</Text>}
        <Text size="xs" c="dimmed">
          Fix the file and save it: the cockpit reloads it by itself.
        </Text>
        {canOpenInEditor && (
          <Group gap="xs">
            <Button size="xs" variant="default" onClick={() => void reveal('editor')}>
              Open in editor
            </Button>
            <Button size="xs" variant="subtle" onClick={() => void reveal('folder')}>
              Reveal in folder
            </Button>
          </Group>
        )}
        <InlineError message={error} />
      </Stack>
    </Alert>
  );
}
