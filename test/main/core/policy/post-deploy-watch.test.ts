import { describe, expect, it } from 'vitest';
import { compareWithBaseline } from '../../../../src/main/core/policy/post-deploy-watch';

const figures = (latency: Record<string, number>, errors: Record<string, number>) => ({
  latency: new Map(Object.entries(latency)),
  errors: new Map(Object.entries(errors)),
});

describe('the post-deploy comparison with the baseline', () => {
  it.each([
    ['latency doubled exactly: no alert', { api: 0.2 }, { api: 0.4 }, {}, {}, []],
    ['latency more than doubled', { api: 0.2 }, { api: 0.41 }, {}, {}, ['api latency 2.1']],
    ['a fast service slowing within the 50 ms floor', { api: 0.005 }, { api: 0.09 }, {}, {}, []],
    ['errors 5× the baseline: no alert', {}, {}, { api: 0.01 }, { api: 0.05 }, []],
    ['errors over 5×', {}, {}, { api: 0.01 }, { api: 0.06 }, ['api errors 6']],
    ['errors from none, past the 0.2 % floor × 5', {}, {}, {}, { api: 0.011 }, ['api errors 5.5']],
    ['a few errors from none stay under it', {}, {}, { api: 0 }, { api: 0.009 }, []],
  ])('%s', (_case, latencyBefore, latencyNow, errorsBefore, errorsNow, expected) => {
    const alerts = compareWithBaseline(
      figures(latencyBefore as Record<string, number>, errorsBefore as Record<string, number>),
      figures(latencyNow as Record<string, number>, errorsNow as Record<string, number>),
    );
    expect(alerts.map((alert) => `${alert.service} ${alert.metric} ${alert.factor}`)).toEqual(expected);
  });
});
