import { Alert, Button, Group, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { DeployPlanView, PromotionOffer } from '../../../../shared/contract';
import type { CockpitClient } from '../../ipc/client';
import { useDeployStore } from '../../stores/deploy-store';

/**
 * Promotion staging → production: offered only after a successful staging run of the same
 * versions (never a version marked bad). "Review promotion" plans production with those
 * versions; the review starts it — merging each tested tag into main (--no-ff) and pushing first.
 */
export function PromotionPanel(props: {
  client: CockpitClient;
  isRunning: boolean;
  onPlanned: (plan: DeployPlanView) => void;
}) {
  const { client, isRunning } = props;
  const outcome = useDeployStore((state) => state.outcome);
  const planning = useDeployStore((state) => state.planning);
  const setPlan = useDeployStore((state) => state.setPlan);
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
  const review = async () => {
    if (!offer.to) return;
    setIsBusy(true);
    // The plan on screen goes while production is planned: nothing of it can be started meanwhile.
    planning();
    const reply = await client.invoke('deploy:plan', {
      environment: offer.to,
      services: Object.keys(offer.versions),
      versions: offer.versions,
    });
    setIsBusy(false);
    if (!reply.ok) {
      setPlan(undefined);
      return setError(reply.error.message);
    }
    setError(undefined);
    props.onPlanned(reply.value);
  };

  return (
    <Alert color={offer.isOffered ? 'blue' : 'gray'} title="Promotion to production" data-testid="promotion">
      <Text size="sm">{offer.reason}</Text>
      {offer.isOffered && (
        <Group mt="xs" gap="xs">
          <Button
            size="xs"
            onClick={() => void review()}
            loading={isBusy}
            disabled={isRunning}
            data-testid="deploy-promote"
          >
            Review promotion of{' '}
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
