import { Alert, Button, Group, Select, Stack, Tabs, Text, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useInterval } from '@mantine/hooks';
import type { DeployPlanView } from '../../../../shared/contract';
import type { CockpitClient } from '../../ipc/client';
import { selectIsRunning, useDeployStore } from '../../stores/deploy-store';
import { usePlatformStore } from '../../stores/platform-store';
import { useRollbackStore } from '../../stores/rollback-store';
import { intentFor, useViewStore } from '../../stores/view-store';
import { writeNotice } from '../../terminal/terminal-registry';
import { DeployChooser, emptyChoice, requestFor, type DeployChoice } from './DeployChooser';
import { DeployHistoryPanel } from './DeployHistoryPanel';
import { DeployNotices } from './DeployNotices';
import { DeployReview } from './DeployReview';
import { DeployTerminal } from './DeployTerminal';
import classes from './DeployView.module.css';
import { GateOverride } from './GateOverride';
import { InterruptedRuns } from './InterruptedRuns';
import { PlanPanel } from './PlanPanel';
import { PromotionPanel } from './PromotionPanel';
import { ApprovalsPanel } from './ApprovalsPanel';
import { HoldsPanel } from './HoldsPanel';
import { WindowBanner } from './WindowBanner';
import { formatDuration } from '../../../../shared/time-format';

/**
 * Plan a deploy, review it, start exactly that plan, follow each step and the live logs; after a
 * failure retry or roll back what changed; read past runs and their logs.
 */
export function DeployView({ client }: { client: CockpitClient }) {
  const platform = usePlatformStore((state) => state.current?.platform);
  const { plan, isPlanning, runId, runEnvironment, steps, outcome, logFile, planning, setPlan, started } =
    useDeployStore();
  const isRunning = useDeployStore(selectIsRunning);
  // Opened from a Matrix cell: its environment and service are chosen.
  const [environment, setEnvironment] = useState<string | undefined>(() => intentFor('deploy')?.environment);
  const [choice, setChoice] = useState<DeployChoice>(() => {
    const service = intentFor('deploy')?.service;
    return service ? { ...emptyChoice, services: [service] } : emptyChoice;
  });
  const [error, setError] = useState<string>();
  const [blockedGates, setBlockedGates] = useState<string[]>();
  const [isStarting, setIsStarting] = useState(false);
  const [isReviewing, setIsReviewing] = useState(false);
  const [isPromotion, setIsPromotion] = useState(false);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 15_000);
    return () => clearInterval(timer);
  }, []);

  const selected =
    environment ??
    runEnvironment ??
    platform?.environments.find((candidate) => !candidate.isProtected)?.id ??
    platform?.environments[0]?.id;
  if (!platform || !selected) {
    return (
      <Stack p="md" data-testid="view-deploy">
        <Title order={2}>Deploy</Title>
        <Text c="dimmed">Open a platform to deploy it.</Text>
      </Stack>
    );
  }
  const target = platform.environments.find((candidate) => candidate.id === selected)!;
  const shownPlan = plan?.environment === selected ? plan : undefined;
  const hasRun = runId !== undefined && runEnvironment === selected;
  const canStart = shownPlan !== undefined && !isPlanning && !isRunning && !isStarting && !hasRun;

  const makePlan = async (request = requestFor(selected, choice)) => {
    planning();
    setIsPromotion(false);
    setError(undefined);
    const reply = await client.invoke('deploy:plan', request);
    setPlan(reply.ok ? reply.value : undefined);
    if (!reply.ok) setError(reply.error.message);
  };

  const start = async (confirmation?: string) => {
    if (!shownPlan) return;
    setIsStarting(true);
    const input = { planId: shownPlan.planId, ...(confirmation ? { confirmation } : {}) };
    const reply = await client.invoke(isPromotion ? 'deploy:promote' : 'deploy:start', input);
    setIsStarting(false);
    setIsReviewing(false);
    if (reply.ok) {
      started(reply.value.runId, reply.value.plan, reply.value.logFile);
      writeNotice(`Deploy ${reply.value.runId} to ${selected} started (plan ${shownPlan.planId}).`);
    }
    setError(reply.ok ? undefined : reply.error.message);
    const details = reply.ok ? undefined : (reply.error.details as { gates?: string[] } | undefined);
    setBlockedGates(!reply.ok && reply.error.code === 'GATE_BLOCKED' ? details?.gates : undefined);
  };

  const cancel = async () => {
    if (!runId) return;
    const reply = await client.invoke('deploy:cancel', { runId });
    if (!reply.ok) setError(reply.error.message);
  };

  /** A failed run: plan again what failed or never started, with the same versions. */
  const retryFailed = () => {
    if (!shownPlan) return;
    const left = shownPlan.waves
      .flat()
      .filter((step) => step.action === 'deploy' && steps[step.service]?.status !== 'succeeded');
    void makePlan({
      environment: selected,
      services: left.map((step) => step.service),
      versions: Object.fromEntries(left.map((step) => [step.service, step.version])),
    });
  };
  const changedByRun = shownPlan
    ? shownPlan.waves
        .flat()
        .filter((step) => steps[step.service]?.status === 'succeeded' && step.action === 'deploy')
        .reverse()
    : [];
  const rollBack = (service: string) => {
    useRollbackStore.getState().suggest({ service, environment: selected });
    useViewStore.getState().openView('rollback');
  };

  return (
    <Stack gap="sm" p="md" data-testid="view-deploy">
      <Title order={2}>Deploy</Title>
      <InterruptedRuns client={client} />
      <Group align="end" gap="sm">
        <Select
          label="Environment"
          data={platform.environments.map((candidate) => ({
            value: candidate.id,
            label: `${candidate.name}${candidate.isProtected ? ' (protected)' : ''}`,
          }))}
          value={selected}
          onChange={(value) => {
            setEnvironment(value ?? undefined);
            setPlan(undefined);
            setChoice(emptyChoice);
          }}
          allowDeselect={false}
          disabled={isRunning}
          w={220}
        />
        <Button
          variant="default"
          onClick={() => void makePlan()}
          loading={isPlanning}
          disabled={isRunning}
          data-testid="deploy-plan"
        >
          Plan
        </Button>
        <Button
          onClick={() => (target.isProtected ? setIsReviewing(true) : void start())}
          disabled={!canStart}
          loading={isStarting}
          data-testid="deploy-start"
        >
          {target.isProtected ? 'Review and deploy…' : 'Start deploy'}
        </Button>
        {isRunning && (
          <Button color="red" variant="light" onClick={() => void cancel()} data-testid="deploy-cancel">
            Cancel
          </Button>
        )}
        <RunElapsed />
      </Group>
      <DeployChooser
        services={platform.services}
        choice={choice}
        hasRefusedMark={(shownPlan?.marks.length ?? 0) > 0}
        isDisabled={isRunning}
        onChange={setChoice}
      />
      <WindowBanner client={client} environment={selected} services={platform.services.map((service) => service.id)} />
      <ApprovalsPanel client={client} environment={selected} />
      <HoldsPanel client={client} environment={selected} services={platform.services.map((service) => service.id)} />
      {error && (
        <Alert color="red" withCloseButton onClose={() => setError(undefined)} data-testid="deploy-error">
          {error}
          {blockedGates && (
            <GateOverride
              client={client}
              environment={selected}
              gates={blockedGates}
              onOverridden={() => {
                setBlockedGates(undefined);
                setError(undefined);
              }}
            />
          )}
        </Alert>
      )}
      {outcome && hasRun && (
        <Alert
          color={outcome.status === 'succeeded' ? 'teal' : outcome.status === 'cancelled' ? 'yellow' : 'red'}
          data-testid="deploy-outcome"
        >
          {outcome.detail} Full log: {logFile}
          {outcome.status === 'failed' && (
            <Group gap="xs" mt="xs">
              <Button size="xs" variant="default" onClick={retryFailed} data-testid="deploy-retry">
                Plan the failed steps again
              </Button>
              {changedByRun.map((step) => (
                <Button
                  key={step.service}
                  size="xs"
                  color="orange"
                  variant="light"
                  onClick={() => rollBack(step.service)}
                >
                  Roll back {step.service} (v{step.version} → v{step.runningVersion ?? '?'})
                </Button>
              ))}
            </Group>
          )}
        </Alert>
      )}
      {/* Side by side on a wide window: the plan and its steps, and the terminal, both on screen. */}
      <div className={classes.run} data-has-plan={shownPlan ? true : undefined}>
        {shownPlan && (
          <div>
            <PlanPanel plan={shownPlan} steps={steps} isRunning={isRunning} hasRun={hasRun} now={now} />
          </div>
        )}
        <div className={classes.terminal}>
          <DeployTerminal />
        </div>
      </div>
      {shownPlan && (
        <DeployReview
          key={shownPlan.planId}
          plan={shownPlan}
          environmentName={target.name}
          isOpen={isReviewing}
          isStarting={isStarting}
          onCancel={() => setIsReviewing(false)}
          onConfirm={(typed) => void start(typed)}
        />
      )}
      <Tabs defaultValue="history" keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="history">History</Tabs.Tab>
          <Tabs.Tab value="promotion">Promotion</Tabs.Tab>
          {outcome && runId && <Tabs.Tab value="notices">Notices</Tabs.Tab>}
        </Tabs.List>
        <Tabs.Panel value="history" pt="xs">
          <DeployHistoryPanel
            client={client}
            environment={selected}
            refreshKey={outcome}
            onRedeploy={(versions) => {
              setChoice({ services: Object.keys(versions), versions, allowBad: '' });
              void makePlan({ environment: selected, services: Object.keys(versions), versions });
            }}
          />
        </Tabs.Panel>
        <Tabs.Panel value="promotion" pt="xs">
          <PromotionPanel
            client={client}
            isRunning={isRunning}
            onPlanned={(promoted: DeployPlanView) => {
              setEnvironment(promoted.environment);
              setPlan(promoted);
              setIsPromotion(true);
            }}
          />
        </Tabs.Panel>
        {outcome && runId && (
          <Tabs.Panel value="notices" pt="xs">
            <DeployNotices client={client} runId={runId} />
          </Tabs.Panel>
        )}
      </Tabs>
    </Stack>
  );
}

/** How long the followed run has been going (each second), or how long it took. */
function RunElapsed() {
  const startedAt = useDeployStore((state) => state.startedAt);
  const endedAt = useDeployStore((state) => state.endedAt);
  const isRunning = useDeployStore(selectIsRunning);
  const [now, setNow] = useState(() => Date.now());
  useInterval(() => setNow(Date.now()), 1_000, { autoInvoke: true });
  if (startedAt === undefined) return null;
  return (
    <Text size="sm" c="dimmed" data-testid="deploy-elapsed">
      {isRunning
        ? `running for ${formatDuration(now - startedAt)}`
        : endedAt
          ? `took ${formatDuration(endedAt - startedAt)}`
          : ''}
    </Text>
  );
}
