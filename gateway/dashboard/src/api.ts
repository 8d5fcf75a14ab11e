// The gateway's API as the dashboard uses it: the OpenFaaS /system routes plus the dashboard's read routes, all
// authorised by the session cookie that /ui/session sets. A 401 anywhere sends the page back to its sign-in.

export interface FunctionStatus {
  name: string;
  namespace?: string;
  image: string;
  envProcess?: string;
  envVars?: Record<string, string>;
  secrets?: string[];
  constraints?: string[];
  labels: Record<string, string>;
  annotations: Record<string, string>;
  limits?: { memory?: string; cpu?: string };
  requests?: { memory?: string; cpu?: string };
  readOnlyRootFilesystem?: boolean;
  invocationCount: number;
  replicas: number;
  availableReplicas: number;
  createdAt: string;
  restarts?: number;
  lastExit?: string;
  crashLooping?: boolean;
  scaling?: { policy: string; desiredReplicas: number; lastDecision: string; decidedAt: string };
}

export interface HistoryPoint {
  time: number;
  invocations: number;
  errors: number;
  coldStarts: number;
  inFlight: number;
  p50Ms?: number | null;
  p99Ms?: number | null;
  replicas: number;
  availableReplicas: number;
}

export interface FunctionHistory { name: string; namespace: string; points: HistoryPoint[] }
export interface HistoryResponse { intervalSeconds: number; functions: FunctionHistory[] }

export interface AsyncQueueStatus { name: string; namespace: string; depth: number | null; inFlight: number; retries: number; deadLettered: number; completed: number }
export interface AsyncQueues { queue: string; problem?: string | null; functions: AsyncQueueStatus[] }

export interface DeadLetter { id: string; callId: string; reason: string; attempts: number; method: string; path: string; acceptedAt: number; deadAt: number; bodyBytes: number; notRedrivable?: string | null }

export interface StoreEntry { name: string; title: string; description: string; lang?: string; images: Record<string, string> }

export interface LogMessage { name: string; namespace?: string; instance?: string; timestamp: string; text: string }

export class ApiError extends Error {
  constructor(readonly status: number, message: string) { super(message); }
}

let onSignedOut: () => void = () => {};

export function whenSignedOut(handler: () => void): void { onSignedOut = handler; }

export async function request(path: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (init.method && init.method !== "GET") headers.set("X-Faas-Dashboard", "1");
  const response = await fetch(path, { ...init, headers, credentials: "same-origin" });
  if (response.status === 401 && !path.startsWith("/ui/session")) {
    onSignedOut();
    throw new ApiError(401, "signed out");
  }
  if (!response.ok) throw new ApiError(response.status, (await response.text()).trim() || response.statusText);
  return response;
}

async function json<T>(path: string): Promise<T> {
  return (await request(path)).json() as Promise<T>;
}

function send(method: string, path: string, body?: unknown): Promise<Response> {
  return request(path, { method, headers: { "Content-Type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });
}

const q = (namespace: string) => `namespace=${encodeURIComponent(namespace)}`;

export const api = {
  session: () => fetch("/ui/session", { credentials: "same-origin" }).then(r => (r.ok ? r.json() as Promise<{ user: string }> : null)),
  signIn: (user: string, password: string) => request("/ui/session", { method: "POST", headers: { "Content-Type": "application/json", "X-Faas-Dashboard": "1" }, body: JSON.stringify({ user, password }) }),
  signOut: () => request("/ui/session", { method: "DELETE" }),
  namespaces: () => json<string[]>("/system/namespaces"),
  functions: (namespace: string) => json<FunctionStatus[]>(`/system/functions?${q(namespace)}`),
  function: (name: string, namespace: string) => json<FunctionStatus>(`/system/function/${encodeURIComponent(name)}?${q(namespace)}`),
  history: (namespace: string, name?: string) => json<HistoryResponse>(`/system/function-history?${q(namespace)}${name ? `&name=${encodeURIComponent(name)}` : ""}`),
  scale: (name: string, namespace: string, replicas: number) => send("POST", `/system/scale-function/${encodeURIComponent(name)}`, { serviceName: name, namespace, replicas }),
  remove: (name: string, namespace: string) => send("DELETE", "/system/functions", { functionName: name, namespace }),
  asyncQueues: (namespace: string) => json<AsyncQueues>(`/system/async-queues?${q(namespace)}`),
  deadLetters: (name: string, namespace: string) => json<DeadLetter[]>(`/system/dead-letters?${q(namespace)}&name=${encodeURIComponent(name)}`),
  redrive: (name: string, namespace: string, id: string) => send("POST", "/system/dead-letters/redrive", { name, namespace, id }),
  store: () => json<StoreEntry[]>("/system/store"),
  deployFromStore: (name: string, service: string, namespace: string) => send("POST", "/system/store/deploy", { name, service, namespace }),
  logs: (name: string, namespace: string, signal: AbortSignal) =>
    request(`/system/logs?name=${encodeURIComponent(name)}&${q(namespace)}&follow=true&tail=200`, { signal }),
};
