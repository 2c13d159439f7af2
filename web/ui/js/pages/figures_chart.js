// The charts of 効果の見える化: Chart.js (web/ui/vendor/chartjs/, vendored
// from npm with its licence) drawing on a canvas, loaded only when the
// figures page is opened. The numbers are always in a table under each
// chart too; the canvas is an image with a label for assistive technology.

const COLORS = {
  accent: '#1f4e8c',
  paper: '#b07800',
  good: '#1d6b33',
  bad: '#a4161a',
  muted: '#4a5561',
  line: '#c9d1d9',
};
export {COLORS};

let loading = null;

/** Chart.js's constructor, loaded once (its UMD build sets window.Chart). */
async function chartLibrary() {
  if (!loading) {
    loading = import('../../vendor/chartjs/chart.umd.min.js').then(() => {
      const Chart = window.Chart;
      Chart.defaults.font.family = getComputedStyle(document.documentElement).fontFamily;
      Chart.defaults.font.size = 13;
      Chart.defaults.color = COLORS.muted;
      Chart.defaults.animation = false;
      return Chart;
    }).catch((err) => {
      loading = null;
      throw err;
    });
  }
  return loading;
}

/**
 * Draws a bar chart on canvas: labels along the category axis, datasets
 * [{label, data, color, type ('line' for a line on the right-hand axis)}];
 * options: stacked, horizontal, unit (shown after values: '件', '%'),
 * lineUnit (of the line's axis), max (of the value axis).
 */
export async function drawBarChart(canvas, labels, datasets, options = {}) {
  const Chart = await chartLibrary();
  const valueAxis = options.horizontal ? 'x' : 'y';
  const categoryAxis = options.horizontal ? 'y' : 'x';
  const unit = options.unit || '';
  const scales = {
    [categoryAxis]: {stacked: !!options.stacked, grid: {display: false}},
    [valueAxis]: {
      stacked: !!options.stacked, beginAtZero: true, max: options.max,
      grid: {color: COLORS.line},
      ticks: {precision: 0, callback: v => `${v}${unit}`},
    },
  };
  const hasLine = datasets.some(d => d.type === 'line');
  if (hasLine) {
    scales.y1 = {position: 'right', beginAtZero: true, grid: {display: false},
      ticks: {precision: 0, callback: v => `${v}${options.lineUnit || ''}`}};
  }
  return new Chart(canvas, {
    type: 'bar',
    data: {
      labels,
      datasets: datasets.map(d => ({
        label: d.label, data: d.data, type: d.type || 'bar',
        backgroundColor: d.color, borderColor: d.color,
        yAxisID: d.type === 'line' ? 'y1' : undefined,
        borderWidth: d.type === 'line' ? 2 : 0, pointRadius: d.type === 'line' ? 4 : undefined,
        spanGaps: true, order: d.type === 'line' ? 0 : 1,
      })),
    },
    options: {
      indexAxis: options.horizontal ? 'y' : 'x',
      responsive: true,
      maintainAspectRatio: false,
      scales,
      plugins: {
        legend: {position: 'bottom', labels: {boxWidth: 14}},
        tooltip: {callbacks: {label: c => `${c.dataset.label}: ${c.formattedValue}${
          c.dataset.type === 'line' ? (options.lineUnit || '') : unit}`}},
      },
    },
  });
}
