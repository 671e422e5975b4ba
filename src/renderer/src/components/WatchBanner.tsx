import { Alert, Button, Group, List } from '@mantine/core';
import { useRollbackStore } from '../stores/rollback-store';
import { useViewStore } from '../stores/view-store';
import { useWatchStore } from '../stores/watch-store';

/** After a deploy, latency or errors passed their alert level: say so, and offer the rollback wizard. */
export function WatchBanner() {
  const alerts = useWatchStore((state) => state.alerts);
  const dismiss = useWatchStore((state) => state.dismiss);
  const openView = useViewStore((state) => state.openView);
  const suggest = useRollbackStore((state) => state.suggest);
  if (alerts.length === 0) return null;
  return (
    <>
      {alerts.map((alert) => (
        <Alert
          key={alert.runId}
          color="red"
          title={`${alert.environment} is worse since the deploy`}
          role="alert"
          data-testid="watch-banner"
          m="xs"
        >
          <List size="sm">
            {alert.alerts.map((entry) => (
              <List.Item key={`${entry.service}/${entry.metric}`}>{entry.message}</List.Item>
            ))}
          </List>
          <Group mt="xs" gap="xs">
            <Button
              color="red"
              size="xs"
              onClick={() => {
                suggest({ service: alert.alerts[0]!.service, environment: alert.environment });
                openView('rollback');
              }}
              data-testid="watch-open-rollback"
            >
              Open the rollback wizard
            </Button>
            <Button size="xs" variant="default" onClick={() => dismiss(alert.runId)}>
              Dismiss
            </Button>
          </Group>
        </Alert>
      ))}
    </>
  );
}
