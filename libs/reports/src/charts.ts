import * as echarts from 'echarts';
import type { ReportData } from './report-data';

/**
 * The report's charts as ECharts options (the web app renders the same options in the browser) and as SVG rendered
 * on the server with ECharts' SSR renderer (no DOM, no browser).
 */
export function chartOptions(d: ReportData): Record<string, Record<string, unknown>> {
  const base = {
    animation: false,
    textStyle: { fontFamily: 'Arial, sans-serif' },
    grid: { left: 140, right: 24, top: 40, bottom: 40 },
  };
  return {
    byGroup: {
      ...base,
      title: { text: 'Contributions by stakeholder group', textStyle: { fontSize: 14 } },
      xAxis: { type: 'value' },
      yAxis: { type: 'category', data: d.participation.byGroup.map((g) => g.key.replace(/_/g, ' ')) },
      series: [
        {
          type: 'bar',
          data: d.participation.byGroup.map((g) => g.contributions),
          label: { show: true, position: 'right' },
        },
      ],
    },
    byRegion: {
      ...base,
      title: { text: 'Contributions by regional group', textStyle: { fontSize: 14 } },
      xAxis: { type: 'value' },
      yAxis: { type: 'category', data: d.participation.byRegion.map((g) => g.key.replace(/_/g, ' ')) },
      series: [
        {
          type: 'bar',
          data: d.participation.byRegion.map((g) => g.contributions),
          label: { show: true, position: 'right' },
        },
      ],
    },
    perDay: {
      ...base,
      grid: { left: 48, right: 24, top: 40, bottom: 40 },
      title: { text: 'Contributions per day', textStyle: { fontSize: 14 } },
      xAxis: { type: 'category', data: d.participation.perDay.map((x) => x.day) },
      yAxis: { type: 'value' },
      series: [{ type: 'line', data: d.participation.perDay.map((x) => x.contributions), areaStyle: {} }],
    },
    heatMap: {
      ...base,
      grid: { left: 48, right: 24, top: 40, bottom: 60 },
      title: { text: 'Published contributions per paragraph', textStyle: { fontSize: 14 } },
      tooltip: {},
      xAxis: {
        type: 'category',
        data: d.paragraphs.map((p) => p.label),
        axisLabel: { interval: 0, rotate: d.paragraphs.length > 30 ? 90 : 0, fontSize: 9 },
      },
      yAxis: { type: 'category', data: [''] },
      visualMap: {
        min: 0,
        max: Math.max(1, ...d.paragraphs.map((p) => p.published)),
        orient: 'horizontal',
        left: 'center',
        bottom: 0,
        itemHeight: 120,
        calculable: false,
      },
      series: [{ type: 'heatmap', data: d.paragraphs.map((p, i) => [i, 0, p.published]) }],
    },
  };
}

export function renderSvg(option: Record<string, unknown>, width = 720, height = 320): string {
  const chart = echarts.init(null as unknown as Parameters<typeof echarts.init>[0], undefined, {
    renderer: 'svg',
    ssr: true,
    width,
    height,
  });
  try {
    chart.setOption(option);
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

export const CHART_NAMES = ['byGroup', 'byRegion', 'perDay', 'heatMap'] as const;
export type ChartName = (typeof CHART_NAMES)[number];

/** One chart as SVG, sized to its data. */
export function chartSvg(d: ReportData, name: ChartName, o = chartOptions(d)): string {
  const size: Record<ChartName, [number, number]> = {
    byGroup: [720, 60 + 32 * Math.max(1, d.participation.byGroup.length)],
    byRegion: [720, 60 + 32 * Math.max(1, d.participation.byRegion.length)],
    perDay: [720, 320],
    heatMap: [720, 200],
  };
  return renderSvg(o[name], ...size[name]);
}

export function chartsSvg(d: ReportData): Record<ChartName, string> {
  const o = chartOptions(d);
  return Object.fromEntries(CHART_NAMES.map((n) => [n, chartSvg(d, n, o)])) as Record<ChartName, string>;
}
