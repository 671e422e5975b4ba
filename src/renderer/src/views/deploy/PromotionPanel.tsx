import { Alert, Button, Group, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { PromotionOffer } from '../../../../shared/contract';
import type { CockpitClient } from '../../ipc/client';
import { useDeployStore } from '../../stores/deploy-store';
import { writeNotice } from '../../terminal/terminal-registry';

/**
 * Promotion staging → production: offered only after a successful staging run of the same
 * versions; merges develop's tested tags into main (--no-ff), pushes, then deploys production.
 */
export function PromotionPanel({ client, isRunning }: { client: CockpitClient; isRunning: boolean }) {
  const outcome = useDeployStore((state) => state.outcome);
  const [offer, setOffer] = useState<PromotionOffer>();
  const [error, setError] = useState<string>();
  const [isBusy, setIsBusy] = useState(false);

  useEffect(() => {
    if (isRunning) return;
    let isCurrent = true;
    void client.invoke('deploy:promotion', {}).then((reply) => {
      if (isCurrent && reply.ok) setOffer(reply.value);
    });
    return () => {
      isCurrent = false;
    };
  }, [client, isRunning, outcome]);

  if (!offer) return null;
  const promote = async () => {
    setIsBusy(true);
    const reply = await client.invoke('deploy:promote', {});
    setIsBusy(false);
    if (!reply.ok) return setError(reply.error.message);
    setError(undefined);
    useDeployStore.getState().started(reply.value.runId, reply.value.plan, reply.value.logFile);
    writeNotice(`Promotion to ${offer.to}: merged into main with --no-ff; deploy ${reply.value.runId} started.`);
  };

  return (
    <Alert color={offer.isOffered ? 'blue' : 'gray'} title="Promotion to production" data-testid="promotion">
      <Text size="sm">{offer.reason}</Text>
      {offer.isOffered && (
        <Group mt="xs" gap="xs">
          <Button
            size="xs"
            onClick={() => void promote()}
            loading={isBusy}
            disabled={isRunning}
            data-testid="deploy-promote"
          >
            Promote{' '}
            {Object.entries(offer.versions)
              .map(([service, version]) => `${service} v${version}`)
              .join(', ')}
          </Button>
        </Group>
      )}
      {error && (
        <Text size="sm" c="red" mt="xs" role="alert">
          {error}
        </Text>
      )}
    </Alert>
  );
}
