import { useElementSize } from '@mantine/hooks';
import type { MetricsReport } from '../../../../shared/contract';
import { formatDuration } from '../../../../shared/time-format';

/** Before the first layout (and in jsdom) the chart is drawn for this width. */
const defaultWidth = 560;
const height = 160;
const padding = { top: 14, right: 56, bottom: 24, left: 32 };
/** Labels are drawn in CSS pixels at this size, whatever the chart's width. */
const fontSize = 12;
/** A week's date label needs about this much room; narrower slots label every n-th week. */
const labelWidth = 44;

/**
 * Deploys per week (succeeded and failed stacked, rollbacks marked) with the mean deploy time as a
 * line: the trend at a glance, drawn as plain SVG at the width it is given (labels keep their size
 * and thin out instead of scaling with the window). The numbers are also in the table below it.
 */
export function WeeklyTrend({ weeks }: { weeks: MetricsReport['weeks'] }) {
  const { ref, width: measured } = useElementSize<HTMLDivElement>();
  const width = measured > 0 ? Math.round(measured) : defaultWidth;
  const maxDeploys = Math.max(1, ...weeks.map((week) => week.deploys));
  const maxMinutes = Math.max(1, ...weeks.map((week) => week.meanDeployMinutes ?? 0));
  const innerWidth = width - padding.left - padding.right;
  const innerHeight = height - padding.top - padding.bottom;
  const slot = innerWidth / Math.max(1, weeks.length);
  const barWidth = Math.max(4, slot * 0.6);
  const y = (deploys: number) => padding.top + innerHeight * (1 - deploys / maxDeploys);
  const yMinutes = (minutes: number) => padding.top + innerHeight * (1 - minutes / maxMinutes);
  const x = (index: number) => padding.left + slot * index + (slot - barWidth) / 2;
  const labelEvery = Math.max(1, Math.ceil(labelWidth / slot));
  const timePoints = weeks.flatMap((week, index) =>
    week.meanDeployMinutes === undefined ? [] : [`${x(index) + barWidth / 2},${yMinutes(week.meanDeployMinutes)}`],
  );
  return (
    <div ref={ref} style={{ width: '100%' }}>
      <svg
        viewBox={`0 0 ${width} ${height}`}
        width={width}
        height={height}
        role="img"
        aria-label={`Deploys per week over ${weeks.length} weeks: ${weeks.map((week) => `${week.succeeded} succeeded, ${week.failed} failed`).join('; ')}`}
        data-testid="metrics-trend"
      >
        <line x1={padding.left} x2={width - padding.right} y1={y(0)} y2={y(0)} stroke="currentColor" opacity={0.3} />
        <text x={padding.left - 4} y={y(maxDeploys) + 4} fontSize={fontSize} textAnchor="end" fill="currentColor">
          {maxDeploys}
        </text>
        <text
          x={width - padding.right + 4}
          y={yMinutes(maxMinutes) + 4}
          fontSize={fontSize}
          fill="var(--mantine-color-blue-6)"
        >
          {formatDuration(maxMinutes * 60_000)}
        </text>
        {weeks.map((week, index) => (
          <g key={week.weekStart}>
            <rect
              x={x(index)}
              y={y(week.succeeded)}
              width={barWidth}
              height={y(0) - y(week.succeeded)}
              fill="var(--mantine-color-teal-6)"
            >
              <title>{`Week of ${week.weekStart.slice(0, 10)}: ${week.succeeded} succeeded`}</title>
            </rect>
            <rect
              x={x(index)}
              y={y(week.succeeded + week.failed)}
              width={barWidth}
              height={y(week.succeeded) - y(week.succeeded + week.failed)}
              fill="var(--mantine-color-red-6)"
            >
              <title>{`Week of ${week.weekStart.slice(0, 10)}: ${week.failed} failed`}</title>
            </rect>
            {week.rollbacks > 0 && (
              <text
                x={x(index) + barWidth / 2}
                y={padding.top + 8}
                fontSize={fontSize}
                textAnchor="middle"
                fill="currentColor"
              >
                ↺{week.rollbacks}
              </text>
            )}
            {index % labelEvery === 0 && (
              <text
                x={x(index) + barWidth / 2}
                y={height - 6}
                fontSize={fontSize - 1}
                textAnchor="middle"
                fill="currentColor"
              >
                {week.weekStart.slice(5, 10)}
              </text>
            )}
          </g>
        ))}
        {timePoints.length > 1 && (
          <polyline points={timePoints.join(' ')} fill="none" stroke="var(--mantine-color-blue-6)" strokeWidth={2} />
        )}
      </svg>
    </div>
  );
}
