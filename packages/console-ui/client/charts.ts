// Charts with uPlot: every `<figure data-chart>` holding a `<script type="application/json">` with a
// ConsoleChart is drawn once; line charts (loss curves, score history) and points with error bars (each
// submission's bootstrap interval). The numbers stay in the page's tables; a chart only draws them.

import type { ConsoleChart, ConsoleIntervalChart, ConsoleLineChart } from '@tuning-arena/protocol';
import uPlot from 'uplot';

const COLOURS = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#ea580c', '#0891b2', '#be185d', '#4d7c0f'];
const HEIGHT = 220;

const colour = (i: number) => COLOURS[i % COLOURS.length] as string;

function widthOf(figure: HTMLElement): number {
  return Math.max(280, Math.min(900, figure.clientWidth || 600));
}

function lineChart(figure: HTMLElement, chart: ConsoleLineChart): uPlot {
  const options: uPlot.Options = {
    width: widthOf(figure),
    height: HEIGHT,
    scales: { x: { time: chart.time } },
    axes: [{ label: chart.xLabel }, { label: chart.yLabel }],
    series: [
      { label: chart.xLabel },
      ...chart.series.map((series, i) => ({
        label: series.label,
        stroke: colour(i),
        width: 2,
        spanGaps: true,
      })),
    ],
  };
  const data = [chart.x, ...chart.series.map((series) => series.y)] as uPlot.AlignedData;
  return new uPlot(options, data, figure);
}

/** Draws each point's interval as a vertical bar with caps, in the plot's own pixel space. */
function errorBars(chart: ConsoleIntervalChart): uPlot.Plugin {
  return {
    hooks: {
      draw: [
        (u: uPlot) => {
          const { ctx } = u;
          ctx.save();
          ctx.strokeStyle = '#111827';
          ctx.lineWidth = 1.5 * devicePixelRatio;
          chart.points.forEach((point, i) => {
            const x = u.valToPos(i, 'x', true);
            const lo = u.valToPos(point.lo, 'y', true);
            const hi = u.valToPos(point.hi, 'y', true);
            const cap = 6 * devicePixelRatio;
            ctx.beginPath();
            ctx.moveTo(x, lo);
            ctx.lineTo(x, hi);
            ctx.moveTo(x - cap, lo);
            ctx.lineTo(x + cap, lo);
            ctx.moveTo(x - cap, hi);
            ctx.lineTo(x + cap, hi);
            ctx.stroke();
          });
          ctx.restore();
        },
      ],
    },
  };
}

function intervalChart(figure: HTMLElement, chart: ConsoleIntervalChart): uPlot {
  const xs = chart.points.map((_, i) => i);
  const lows = chart.points.map((p) => p.lo);
  const highs = chart.points.map((p) => p.hi);
  const span = Math.max(1e-6, Math.max(0, ...highs) - Math.min(0, ...lows));
  const options: uPlot.Options = {
    width: widthOf(figure),
    height: HEIGHT,
    plugins: [errorBars(chart)],
    scales: {
      x: { time: false, range: [-0.5, Math.max(0.5, chart.points.length - 0.5)] },
      y: { range: [Math.min(0, ...lows) - span * 0.1, Math.max(0, ...highs) + span * 0.1] },
    },
    axes: [
      {
        label: 'submission',
        splits: () => xs,
        values: (_u, splits) => splits.map((i) => chart.points[i]?.label ?? ''),
      },
      { label: chart.yLabel },
    ],
    series: [
      {},
      {
        label: chart.yLabel,
        stroke: colour(0),
        paths: () => null,
        points: { show: true, size: 8, fill: colour(0) },
      },
    ],
  };
  return new uPlot(options, [xs, chart.points.map((p) => p.value)], figure);
}

function draw(figure: HTMLElement, chart: ConsoleChart): void {
  if (chart.type === 'line') lineChart(figure, chart);
  else intervalChart(figure, chart);
}

/** Draws every chart under `root` that is not drawn yet. */
export function renderCharts(root: ParentNode): void {
  for (const figure of root.querySelectorAll<HTMLElement>('figure[data-chart]')) {
    if (figure.dataset.drawn) continue;
    const source = figure.querySelector('script[type="application/json"]');
    if (!source?.textContent) continue;
    draw(figure, JSON.parse(source.textContent) as ConsoleChart);
    figure.dataset.drawn = 'true';
  }
}
