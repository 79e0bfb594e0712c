// Chart.js, tree-shaken to the bar and line charts the dashboard draws, with
// two small plugins: value labels at the end of bars, and a dashed marker at
// the chosen date on a time line. Loaded on demand (its own chunk), so the
// figures show before the charts on a slow connection.

import {
  BarController, BarElement, CategoryScale, Chart, Filler, Legend, LinearScale, LineController, LineElement,
  PointElement, Tooltip, type ChartConfiguration, type Plugin,
} from 'chart.js';
import { COLORS } from './colors';
import { track } from './chart-registry';

const valueLabels: Plugin<'bar'> = {
  id: 'valueLabels',
  afterDatasetsDraw(chart, _args, opts: { format?: (v: number) => string; dataset?: number }) {
    if (!opts?.format) return;
    const { ctx } = chart;
    const meta = chart.getDatasetMeta(opts.dataset ?? 0);
    const data = chart.data.datasets[opts.dataset ?? 0].data as (number | null)[];
    ctx.save();
    ctx.font = `600 12px ${Chart.defaults.font.family}`;
    ctx.fillStyle = COLORS.ink;
    ctx.textBaseline = 'middle';
    meta.data.forEach((bar, i) => {
      const v = data[i];
      if (v === null || v === undefined) return;
      const { x, y } = bar.getProps(['x', 'y'], true) as { x: number; y: number };
      const horizontal = chart.options.indexAxis === 'y';
      if (horizontal) {
        const text = opts.format!(v);
        const w = ctx.measureText(text).width;
        const inside = x + w + 8 > chart.chartArea.right;
        ctx.fillStyle = inside ? '#fff' : COLORS.ink;
        ctx.textAlign = inside ? 'right' : 'left';
        ctx.fillText(text, inside ? x - 6 : x + 6, y);
      } else {
        ctx.textAlign = 'center';
        ctx.fillText(opts.format!(v), x, y - 8);
      }
    });
    ctx.restore();
  },
};

const marker: Plugin<'line'> = {
  id: 'marker',
  afterDatasetsDraw(chart, _args, opts: { index?: number; label?: string }) {
    if (opts?.index === undefined || opts.index < 0) return;
    const x = chart.scales.x.getPixelForValue(opts.index);
    const { top, bottom } = chart.chartArea;
    const { ctx } = chart;
    ctx.save();
    ctx.strokeStyle = COLORS.muted;
    ctx.setLineDash([4, 4]);
    ctx.beginPath();
    ctx.moveTo(x, top);
    ctx.lineTo(x, bottom);
    ctx.stroke();
    if (opts.label) {
      ctx.setLineDash([]);
      ctx.font = `600 12px ${Chart.defaults.font.family}`;
      ctx.fillStyle = COLORS.ink;
      const w = ctx.measureText(opts.label).width;
      const left = x + w + 8 > chart.chartArea.right;
      ctx.textAlign = left ? 'right' : 'left';
      ctx.fillText(opts.label, left ? x - 6 : x + 6, top + 12);
    }
    ctx.restore();
  },
};

Chart.register(BarController, BarElement, LineController, LineElement, PointElement, CategoryScale, LinearScale,
  Tooltip, Legend, Filler, valueLabels, marker);

Chart.defaults.font.family = getComputedStyle(document.documentElement).getPropertyValue('--font').trim() || 'system-ui, sans-serif';
Chart.defaults.font.size = 13;
Chart.defaults.color = COLORS.muted;
Chart.defaults.borderColor = COLORS.grid;
Chart.defaults.maintainAspectRatio = false;
Chart.defaults.plugins.legend.labels.boxWidth = 14;
Chart.defaults.plugins.tooltip.backgroundColor = 'rgba(28,36,48,.94)';
Chart.defaults.plugins.tooltip.padding = 10;
if (matchMedia('(prefers-reduced-motion: reduce)').matches) Chart.defaults.animation = false;
else Chart.defaults.animation = { duration: 350 };

export function makeChart<T extends 'bar' | 'line'>(canvas: HTMLCanvasElement, config: ChartConfiguration<T>): Chart<T> {
  const c = new Chart(canvas, config);
  track(c);
  return c;
}

export type { Chart };
