import type { JobEvent } from '../../ports';
import type { BackupStepEvent } from './types';

/** True for a well-formed backup step event (the consumer receives untyped JSON). */
export function isBackupStepEvent(event: JobEvent): event is BackupStepEvent {
  return event.kind === 'backup.step' && typeof event.jobId === 'string' && Number.isInteger(event.seq) && Number.isInteger(event.chain);
}
