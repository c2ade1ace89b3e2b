import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DroppedFile } from '../../../src-core/contracts/api-desktop';
import type { SessionSummary } from '../../../src-core/contracts/session-types';
import { importSessionFile } from '../../../src-core/node/store/session-file';
import type { SessionStore } from '../../../src-core/node/store/session-store';
import type { ServiceContext } from '../service-context';
import { writeFileAtomic } from '../shared/atomic-file';

/**
 * Import a session file dropped on the window: its bytes go to a private
 * temporary file, then through the same checks as File > Import Session
 * (importSessionFile works on a copy and touches the live database only when
 * every check passed).
 */
export function importDroppedSession(
  ctx: ServiceContext,
  store: SessionStore,
  file: DroppedFile,
  nativeBinding?: string,
): SessionSummary[] {
  const dir = mkdtempSync(join(tmpdir(), 'momentum-lab-drop-'));
  try {
    const path = join(dir, 'dropped.mlab');
    writeFileAtomic(path, file.bytes);
    const imported = importSessionFile(store, path, nativeBinding);
    for (const s of imported) ctx.emit({ channel: 'sessions', change: { sessionId: s.id, reason: 'sessions' } });
    return imported;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
