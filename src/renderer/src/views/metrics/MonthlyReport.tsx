import { Alert, Button, Code, Group, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import type { CommandOutput } from '../../../../shared/contract';
import type { CockpitClient } from '../../ipc/client';

/** The monthly compliance report: written as Markdown, HTML and PDF into the data folder. */
export function MonthlyReport({ client }: { client: CockpitClient }) {
  const [month, setMonth] = useState(() => new Date().toISOString().slice(0, 7));
  const [isWriting, setIsWriting] = useState(false);
  const [result, setResult] = useState<{ written?: CommandOutput<'report:monthly'>; error?: string }>({});

  const write = async () => {
    setIsWriting(true);
    const reply = await client.invoke('report:monthly', { month });
    setIsWriting(false);
    setResult(reply.ok ? { written: reply.value } : { error: reply.error.message });
  };
  const { written, error } = result;
  return (
    <Stack gap="xs" data-testid="monthly-report">
      <Title order={3} size="h5">
        Monthly compliance report
      </Title>
      <Group align="end" gap="xs">
        <TextInput
          label="Month"
          value={month}
          onChange={(event) => setMonth(event.currentTarget.value)}
          placeholder="2026-11"
          w={120}
          data-testid="report-month"
        />
        <Button onClick={() => void write()} loading={isWriting} data-testid="report-write">
          Write the report
        </Button>
      </Group>
      {error && <Alert color="red">{error}</Alert>}
      {written && (
        <>
          <Text size="sm" data-testid="report-files">
            Written: <Code>{written.files.markdown}</Code>, <Code>{written.files.html}</Code>
            {written.files.pdf ? (
              <>
                , <Code>{written.files.pdf}</Code>
              </>
            ) : null}
          </Text>
          {written.pdfProblem && <Alert color="yellow">No PDF: {written.pdfProblem}</Alert>}
        </>
      )}
    </Stack>
  );
}
