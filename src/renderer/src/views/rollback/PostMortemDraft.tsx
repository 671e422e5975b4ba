import { Alert, Button, Group, Stack, Textarea } from '@mantine/core';
import { useState } from 'react';
import type { CockpitClient } from '../../ipc/client';

/** Drafts the post-mortem of an ended rollback from the ledger: editable Markdown, to copy. */
export function PostMortemDraft({ client, rollbackId }: { client: CockpitClient; rollbackId: string }) {
  const [markdown, setMarkdown] = useState<string>();
  const [message, setMessage] = useState<{ color: string; text: string }>();

  const draft = async () => {
    const reply = await client.invoke('postmortem:draft', { rollbackId });
    if (reply.ok) setMarkdown(reply.value.markdown);
    else setMessage({ color: 'red', text: reply.error.message });
  };
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(markdown ?? '');
      setMessage({ color: 'teal', text: 'Copied.' });
    } catch {
      setMessage({ color: 'red', text: 'The clipboard refused the text: select it and copy it by hand.' });
    }
  };
  return (
    <Stack gap="xs" data-testid="postmortem">
      {markdown === undefined ? (
        <Group>
          <Button variant="default" onClick={() => void draft()} data-testid="postmortem-draft">
            Draft the post-mortem
          </Button>
        </Group>
      ) : (
        <>
          <Textarea
            label="Post-mortem draft (Markdown; fill in the marked blanks)"
            value={markdown}
            onChange={(event) => setMarkdown(event.currentTarget.value)}
            autosize
            minRows={8}
            data-testid="postmortem-text"
          />
          <Group>
            <Button size="compact-sm" variant="default" onClick={() => void copy()}>
              Copy
            </Button>
          </Group>
        </>
      )}
      {message && (
        <Alert color={message.color} p="xs" withCloseButton onClose={() => setMessage(undefined)}>
          {message.text}
        </Alert>
      )}
    </Stack>
  );
}
