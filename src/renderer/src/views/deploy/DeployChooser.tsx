import { Group, MultiSelect, Stack, TextInput } from '@mantine/core';

export interface DeployChoice {
  /** None chosen: every service of the environment. */
  services: string[];
  /** Service → version typed; empty means the default target. */
  versions: Record<string, string>;
  /** A reason to deploy a version marked bad anyway (recorded); empty means no. */
  allowBad: string;
}

export const emptyChoice: DeployChoice = { services: [], versions: {}, allowBad: '' };

const versionPattern = /^v?\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/;

/** What to deploy: which services (all by default) and, for each, a version other than the default. */
export function DeployChooser(props: {
  services: { id: string; name: string }[];
  choice: DeployChoice;
  hasRefusedMark: boolean;
  isDisabled: boolean;
  onChange: (choice: DeployChoice) => void;
}) {
  const { choice } = props;
  const shown =
    choice.services.length > 0 ? props.services.filter((service) => choice.services.includes(service.id)) : [];
  return (
    <Stack gap={6} data-testid="deploy-chooser">
      <MultiSelect
        size="xs"
        label="Services (all when none is chosen)"
        placeholder="All services"
        data={props.services.map((service) => ({ value: service.id, label: service.name }))}
        value={choice.services}
        onChange={(services) => props.onChange({ ...choice, services })}
        disabled={props.isDisabled}
        searchable
        clearable
        w={520}
        data-testid="deploy-services"
      />
      {shown.length > 0 && (
        <Group gap="xs">
          {shown.map((service) => {
            const typed = choice.versions[service.id] ?? '';
            return (
              <TextInput
                key={service.id}
                size="xs"
                label={`${service.name} version`}
                placeholder="default"
                value={typed}
                error={typed && !versionPattern.test(typed) ? 'e.g. 1.2.3' : undefined}
                onChange={(event) =>
                  props.onChange({
                    ...choice,
                    versions: { ...choice.versions, [service.id]: event.currentTarget.value },
                  })
                }
                disabled={props.isDisabled}
                w={150}
                data-testid={`deploy-version-${service.id}`}
              />
            );
          })}
        </Group>
      )}
      {props.hasRefusedMark && (
        <TextInput
          size="xs"
          label="Deploy the version marked bad anyway — reason (recorded in the ledger)"
          value={choice.allowBad}
          onChange={(event) => props.onChange({ ...choice, allowBad: event.currentTarget.value })}
          disabled={props.isDisabled}
          w={520}
          data-testid="deploy-allow-bad"
        />
      )}
    </Stack>
  );
}

/** The plan request a choice makes; invalid versions are left out (the field shows why). */
export function requestFor(environment: string, choice: DeployChoice) {
  const versions = Object.fromEntries(
    Object.entries(choice.versions).filter(
      ([service, version]) =>
        version && versionPattern.test(version) && (choice.services.length === 0 || choice.services.includes(service)),
    ),
  );
  return {
    environment,
    ...(choice.services.length > 0 ? { services: choice.services } : {}),
    ...(Object.keys(versions).length > 0 ? { versions } : {}),
    ...(choice.allowBad.trim() ? { allowBad: choice.allowBad.trim() } : {}),
  };
}
