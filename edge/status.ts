// Status reports: what the edge tells Canopy about itself (connection state, version, last sync
// time, details when its registry or upstream fails). A report that cannot be sent is queued in
// the data dir with the time it was observed, and sent when the upstream answers again if it is
// still younger than the registry's message TTL.
import type { ConnectionStateName } from '@/lib/registries/rules';
import type { DataDir } from './data-dir';

export type StatusDetail = { type: string; code: string; description: string; timestamp?: string };
export type StatusReport = {
  // Offline is what Canopy shows when reports stop: the edge never says it
  connectionState: Exclude<ConnectionStateName, 'Offline'>;
  version: string;
  lastSyncTime?: string;
  statusDetails?: StatusDetail[];
  observedTime: string;
};

const FILE = 'status-queue.json';
const MAX_QUEUED = 1000;

export class StatusQueue {
  private items: StatusReport[];
  constructor(private readonly dataDir: DataDir) {
    const stored = dataDir.readJson<StatusReport[]>(FILE);
    this.items = Array.isArray(stored) ? stored : [];
  }

  get length() {
    return this.items.length;
  }

  push(report: StatusReport) {
    this.items.push(report);
    if (this.items.length > MAX_QUEUED) this.items.splice(0, this.items.length - MAX_QUEUED);
    this.save();
  }

  /** The reports still worth sending (younger than the TTL), oldest first; the rest are dropped. */
  fresh(ttlSeconds: number, now = Date.now()): StatusReport[] {
    const before = this.items.length;
    this.items = this.items.filter((r) => now - Date.parse(r.observedTime) < ttlSeconds * 1000);
    if (this.items.length !== before) this.save();
    return [...this.items];
  }

  /** Removes the oldest report (after it was delivered, or refused for good). */
  shift() {
    this.items.shift();
    this.save();
  }

  private save() {
    this.dataDir.writeJson(FILE, this.items);
  }
}
