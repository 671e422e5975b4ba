import { List, Paper, Stack, Text, Title } from '@mantine/core';
import type { ViewDescription } from './view-catalog';

/** A view that is not built yet: says what it is for and what is coming. */
export function PlaceholderView({ view }: { view: ViewDescription }) {
  return (
    <Stack gap="sm" p="md" data-testid={`view-${view.id}`}>
      <Title order={2}>{view.label}</Title>
      <Text>{view.purpose}</Text>
      <Paper withBorder p="md">
        <Text fw={600} mb="xs">
          Coming to this view
        </Text>
        <List size="sm">
          {view.upcoming.map((item) => (
            <List.Item key={item}>{item}</List.Item>
          ))}
        </List>
      </Paper>
    </Stack>
  );
}
