import { Text } from '@mantine/core';

/** What went wrong with the action just tried, beside it (announced to screen readers). */
export function InlineError({ message }: { message?: string }) {
  if (!message) return null;
  return (
    <Text size="xs" c="red" role="alert">
      {message}
    </Text>
  );
}
