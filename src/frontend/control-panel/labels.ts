import type { BackupFileState, RunState } from '../../core/admin/collaborators';

type LozengeAppearance = 'default' | 'inprogress' | 'success' | 'removed' | 'moved' | 'new';

export const RUN_STATE: Record<RunState, { label: string; appearance: LozengeAppearance }> = {
  queued: { label: 'Queued', appearance: 'new' },
  running: { label: 'Running', appearance: 'inprogress' },
  complete: { label: 'Complete', appearance: 'success' },
  partial: { label: 'Partial', appearance: 'moved' },
  failed: { label: 'Failed', appearance: 'removed' },
};

export const FILE_STATE: Record<BackupFileState, { label: string; appearance: LozengeAppearance }> = {
  complete: { label: 'Complete', appearance: 'success' },
  partial: { label: 'Partial', appearance: 'moved' },
  failed: { label: 'Failed', appearance: 'removed' },
};

export const KIND_LABEL = { basic: 'Basic', extended: 'Extended' } as const;
export const CONTENT_LABEL = { basic: 'Basic', extended: 'Extended', combined: 'Combined' } as const;
