import { MantineProvider } from '@mantine/core';
import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { WeeklyTrend } from '../../src/renderer/src/views/metrics/WeeklyTrend';

function weeks(count: number) {
  return Array.from({ length: count }, (_, index) => ({
    weekStart: new Date(Date.UTC(2026, 5, 1 + index * 7)).toISOString(),
    deploys: 3,
    succeeded: 2,
    failed: 1,
    rollbacks: index === 4 ? 1 : 0,
    meanDeployMinutes: 6.3,
  }));
}

describe('the weekly trend chart', () => {
  it('draws its labels at a fixed size in pixels, thins the week labels so they never overlap, and says minutes in words', () => {
    render(
      <MantineProvider>
        <WeeklyTrend weeks={weeks(26)} />
      </MantineProvider>,
    );
    const chart = screen.getByTestId('metrics-trend');
    // Drawn at its own width (not stretched from a fixed viewBox): one unit is one pixel.
    expect(chart.getAttribute('width')).toBe(chart.getAttribute('viewBox')!.split(' ')[2]);
    const labels = [...chart.querySelectorAll('text')];
    expect(new Set(labels.map((label) => label.getAttribute('font-size')))).toEqual(new Set(['12', '11']));
    const weekLabels = labels.filter((label) => /^\d{2}-\d{2}$/.test(label.textContent ?? ''));
    expect(weekLabels.length).toBeGreaterThan(1);
    expect(weekLabels.length).toBeLessThan(26);
    const positions = weekLabels.map((label) => Number(label.getAttribute('x')));
    for (let index = 1; index < positions.length; index++)
      expect(positions[index]! - positions[index - 1]!).toBeGreaterThanOrEqual(44);
    expect(chart.textContent).toContain('6 min 18 s');
  });

  it('labels every week when there is room', () => {
    render(
      <MantineProvider>
        <WeeklyTrend weeks={weeks(4)} />
      </MantineProvider>,
    );
    const weekLabels = [...screen.getByTestId('metrics-trend').querySelectorAll('text')].filter((label) =>
      /^\d{2}-\d{2}$/.test(label.textContent ?? ''),
    );
    expect(weekLabels).toHaveLength(4);
  });
});
