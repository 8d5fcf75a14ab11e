// Line charts as inline SVG: no library, no canvas, crisp at any width.

const NS = "http://www.w3.org/2000/svg";

function svg(tag: string, attributes: Record<string, string | number>): SVGElement {
  const element = document.createElementNS(NS, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
  return element;
}

function pathOf(values: (number | null)[], width: number, height: number, max: number, top = 0): string {
  const step = values.length > 1 ? width / (values.length - 1) : 0;
  let d = "";
  let pen = false;
  values.forEach((value, i) => {
    if (value === null) { pen = false; return; }
    const x = (i * step).toFixed(1);
    const y = (top + height - (max === 0 ? 0 : (value / max) * height)).toFixed(1);
    // A point after a gap starts with a short dash, so that a lone point shows.
    d += pen ? `L${x},${y}` : `M${x},${y}h1`;
    pen = true;
  });
  return d;
}

/** A small line of one series, for table rows. */
export function sparkline(values: number[], label: string): SVGElement {
  const chart = svg("svg", { class: "spark", viewBox: "0 0 120 28", preserveAspectRatio: "none", role: "img", "aria-label": label });
  const max = Math.max(1, ...values);
  chart.appendChild(svg("path", { d: pathOf(values.length ? values : [0, 0], 120, 24, max, 2) }));
  return chart;
}

export interface Series { values: (number | null)[]; className: string }

/** A chart of one or more series over the same points, captioned with its maximum. */
export function lineChart(series: Series[], label: string, unit: (value: number) => string): HTMLElement {
  const width = 600, height = 120;
  const chart = svg("svg", { class: "chart", viewBox: `0 0 ${width} ${height}`, preserveAspectRatio: "none", role: "img", "aria-label": label });
  const max = Math.max(0, ...series.flatMap(s => s.values.filter((v): v is number => v !== null)));
  chart.appendChild(svg("line", { class: "axis", x1: 0, y1: height - 1, x2: width, y2: height - 1 }));
  for (const s of series) chart.appendChild(svg("path", { class: s.className, d: pathOf(s.values, width, height - 4, max === 0 ? 1 : max, 2) }));
  const figure = document.createElement("figure");
  figure.className = "chart-box";
  const caption = document.createElement("figcaption");
  caption.textContent = `max ${unit(max)}`;
  figure.append(caption, chart);
  return figure;
}
