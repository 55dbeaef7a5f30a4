// The sync record in the data dir (`sync-state.json`, 0600, replaced atomically): per repository,
// each tag's digest at the parent and at the edge as of the last run that settled it. It is what
// tells "pushed here since" from "deleted there since" for a ReadWrite registry.
import type { DataDir } from '../data-dir';
import type { StateStore, SyncState } from './engine';

const FILE = 'sync-state.json';

export class DataDirStateStore implements StateStore {
  constructor(private readonly dataDir: DataDir) {}

  load(): SyncState {
    const stored = this.dataDir.readJson<SyncState>(FILE);
    return stored && typeof stored.repositories === 'object' && stored.repositories ? stored : { repositories: {} };
  }

  save(state: SyncState): void {
    this.dataDir.writeJson(FILE, state);
  }
}

/** For tests and the bench: the record in memory. */
export class MemoryStateStore implements StateStore {
  state: SyncState = { repositories: {} };
  load(): SyncState {
    return structuredClone(this.state);
  }
  save(state: SyncState): void {
    this.state = structuredClone(state);
  }
}
