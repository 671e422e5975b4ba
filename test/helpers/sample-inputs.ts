import type { CommandChannel } from '../../src/shared/channels';
import type { CommandInput } from '../../src/shared/contract';

/** One valid input per command, on the sample platform; adding a command makes this fail to compile. */
export const sampleInputs: { [K in CommandChannel]: CommandInput<K> } = {
  'app:info': {},
  'platform:current': {},
  'credentials:list': {},
  'credentials:set': { id: 'github-token', value: 'ghp_sample_input_value' },
  'credentials:delete': { id: 'github-token' },
  'ledger:query': { search: 'credential' },
  'ledger:verify': {},
  'ledger:export': { format: 'csv' },
  'ledger:sync': {},
  'matrix:get': {},
  'matrix:refresh': {},
  'matrix:details': { service: 'auth-service' },
  'deploy:plan': { environment: 'staging' },
  'deploy:start': { environment: 'staging', services: ['auth-service'], versions: { 'auth-service': '2.1.0' } },
  'deploy:cancel': { runId: 'no-such-run' },
  'deploy:log-ack': { runId: 'no-such-run', characters: 5_000 },
  'deploy:runs': {},
  'deploy:resume': { runId: 'no-such-run' },
  'deploy:abandon': { runId: 'no-such-run' },
  'deploy:promotion': {},
  'deploy:promote': {},
  'policy:window': { environment: 'production' },
  'release:plan': { service: 'auth-service' },
  'release:preview': { service: 'auth-service', bump: 'minor' },
  'release:cut': { service: 'auth-service', bump: 'minor' },
  'release:calendar': {},
  'release:ci': { service: 'auth-service' },
};
