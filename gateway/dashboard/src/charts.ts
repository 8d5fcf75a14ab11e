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
    d += `${pen ? "L" : "M"}${x},${y}`;
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

/** A chart of one or more series over the same points, with its maximum and unit written at the top left. */
export function lineChart(series: Series[], label: string, unit: (value: number) => string): SVGElement {
  const width = 600, height = 120, top = 14;
  const chart = svg("svg", { class: "chart", viewBox: `0 0 ${width} ${height}`, preserveAspectRatio: "none", role: "img", "aria-label": label });
  const max = Math.max(0, ...series.flatMap(s => s.values.filter((v): v is number => v !== null)));
  chart.appendChild(svg("line", { class: "axis", x1: 0, y1: height - 1, x2: width, y2: height - 1 }));
  const text = svg("text", { x: 2, y: 10 });
  text.textContent = `max ${unit(max)}`;
  chart.appendChild(text);
  for (const s of series) chart.appendChild(svg("path", { class: s.className, d: pathOf(s.values, width, height - top - 2, max === 0 ? 1 : max, top) }));
  return chart;
}
