// How numbers and times are shown.

export function count(value: number): string {
  return value >= 10000 ? `${(value / 1000).toFixed(1)}k` : String(value);
}

export function percent(part: number, whole: number): string {
  return whole === 0 ? "–" : `${((100 * part) / whole).toFixed(part === 0 ? 0 : 1)}%`;
}

export function millis(value: number | null | undefined): string {
  if (value === null || value === undefined) return "–";
  if (value >= 1000) return `${(value / 1000).toFixed(2)} s`;
  return value >= 10 ? `${value.toFixed(0)} ms` : `${value.toFixed(2)} ms`;
}

export function time(unixMs: number): string {
  return unixMs ? new Date(unixMs).toLocaleTimeString() : "–";
}

export function dateTime(value: string | number): string {
  const date = new Date(value);
  return isNaN(date.getTime()) ? String(value) : date.toLocaleString();
}

/** Environment variables whose name says they hold a credential are shown masked, even though they are not secrets. */
export function maskIfSensitive(name: string, value: string): string {
  return /pass|secret|token|key|credential|auth/i.test(name) ? "••••••" : value;
}
