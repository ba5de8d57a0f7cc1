import type { KeyValue } from '../../ports';
import { backupKeys } from './keys';
import type { BackupJob, ProjectCheckpoint, SiteCheckpoint } from './types';

/** Reads and writes the engine's KVS records (one place for the key names and empty defaults). */
export const jobStore = {
  get: (kv: KeyValue, jobId: string) => kv.get<BackupJob>(backupKeys.job(jobId)),
  put: (kv: KeyValue, job: BackupJob) => kv.set(backupKeys.job(job.jobId), job),

  async project(kv: KeyValue, jobId: string, projectId: string): Promise<ProjectCheckpoint> {
    return (
      (await kv.get<ProjectCheckpoint>(backupKeys.task(jobId, `p${projectId}`))) ?? {
        stage: 'config',
        parts: [],
        issuesDone: 0,
        newIssues: 0,
        skippedAttachments: [],
        skippedAttachmentCount: 0,
      }
    );
  },
  putProject: (kv: KeyValue, jobId: string, projectId: string, checkpoint: ProjectCheckpoint) =>
    kv.set(backupKeys.task(jobId, `p${projectId}`), checkpoint),

  async site(kv: KeyValue, jobId: string): Promise<SiteCheckpoint> {
    return (await kv.get<SiteCheckpoint>(backupKeys.task(jobId, 'site'))) ?? { done: [], parts: [] };
  },
  putSite: (kv: KeyValue, jobId: string, checkpoint: SiteCheckpoint) => kv.set(backupKeys.task(jobId, 'site'), checkpoint),
};
