import type { Clock } from '../../ports';
import type { BackupPlan, Schedule } from '../plans/plan';
import type { AuditLog } from './audit-log';
import type {
  BackupDownload, BackupFile, BackupFiles, BackupJobs, BackupRunStatus, NextRun, SiteTimeZone, StorageGauge,
} from './collaborators';
import type { ConfigurationStore } from './configuration-store';
import { formatBytes, formatDateTime, usableTimeZone } from './display-format';
import { AdminError } from './errors';
import type { ControlPanelView, FileRow, LatestRun, PlanPanel, StoragePanel } from './view-model';

export interface ControlPanelServiceDeps {
  store: ConfigurationStore;
  jobs: BackupJobs;
  files: BackupFiles;
  gauge: StorageGauge;
  nextRun: NextRun;
  siteTimeZone: SiteTimeZone;
  audit: AuditLog;
  clock: Clock;
}

const NEARLY_FULL = 0.9;
const ACTIVE_STATES = new Set(['queued', 'running']);
const WEEKDAY_LABEL = { mon: 'Mon', tue: 'Tue', wed: 'Wed', thu: 'Thu', fri: 'Fri', sat: 'Sat', sun: 'Sun' } as const;

/** The control panel: what ran, what is running, what is stored, and the actions on it (back up now, delete, download). */
export class ControlPanelService {
  constructor(private readonly deps: ControlPanelServiceDeps) {}

  async view(): Promise<ControlPanelView> {
    const now = this.deps.clock.now();
    const timeZone = usableTimeZone(await this.deps.siteTimeZone());
    const plans = await this.deps.store.plans();
    const [panels, storage, files] = await Promise.all([
      Promise.all(plans.map((plan) => this.planPanel(plan, now, timeZone))),
      this.storagePanel(timeZone),
      this.fileRows(plans, timeZone),
    ]);
    return { generatedAt: now, timeZone, plans: panels, storage, ...files };
  }

  /** Queues a run of the plan; refused while one is already queued or running (two runs would race on the same catalog). */
  async backUpNow(planId: unknown, actor: string): Promise<{ jobId: string }> {
    const plan = typeof planId === 'string' ? await this.deps.store.plan(planId) : undefined;
    if (!plan) throw new AdminError('not-found', 'This plan no longer exists. Reload the page.');
    const latest = await this.deps.jobs.latest(plan.id);
    if (latest && ACTIVE_STATES.has(latest.state)) {
      throw new AdminError('conflict', `"${plan.name}" is already backing up. Wait for this run to finish before starting another.`);
    }
    const started = await this.deps.jobs.start(plan, actor);
    await this.deps.audit.append({ actor, action: 'backup.started', subject: plan.name, details: { planId: plan.id, jobId: started.jobId, trigger: 'manual' } });
    return started;
  }

  /** Deletes a backup file for good. `confirmed` must come from the page's "this is final" dialog. */
  async deleteBackup(fileId: unknown, confirmed: unknown, actor: string): Promise<void> {
    if (confirmed !== true) {
      throw new AdminError('invalid', 'Deleting a backup is final and needs confirmation: confirm in the dialog to delete it.');
    }
    const file = await this.findFile(fileId);
    await this.deps.files.delete(file.id);
    const timeZone = usableTimeZone(await this.deps.siteTimeZone());
    await this.deps.audit.append({
      actor, action: 'backup.deleted', subject: fileName(file, timeZone), details: { fileId: file.id, sizeBytes: file.sizeBytes },
    });
  }

  async download(fileId: unknown): Promise<BackupDownload> {
    const file = await this.findFile(fileId);
    return this.deps.files.download(file.id);
  }

  private async findFile(fileId: unknown): Promise<BackupFile> {
    const file = typeof fileId === 'string' ? (await this.deps.files.list()).find((f) => f.id === fileId) : undefined;
    if (!file) throw new AdminError('not-found', 'This backup no longer exists (it may have been rotated out or deleted). Reload the page.');
    return file;
  }

  private async planPanel(plan: BackupPlan, now: number, timeZone: string): Promise<PlanPanel> {
    const status = await this.deps.jobs.latest(plan.id);
    const running = !!status && ACTIVE_STATES.has(status.state);
    const nextRunAt = plan.enabled ? this.deps.nextRun(plan, now, timeZone) : undefined;
    const panel: PlanPanel = {
      planId: plan.id, planName: plan.name, enabled: plan.enabled, content: plan.content,
      scheduleText: plan.enabled ? scheduleText(plan.schedule) : 'Not scheduled (plan is off)',
      canBackUpNow: !running,
    };
    if (status) panel.latest = latestRun(status, timeZone);
    if (running) panel.backUpNowBlockedReason = 'A backup of this plan is in progress.';
    if (nextRunAt !== undefined) {
      panel.nextRunAt = nextRunAt;
      panel.nextRunText = formatDateTime(nextRunAt, timeZone);
    }
    return panel;
  }

  private async storagePanel(timeZone: string): Promise<StoragePanel> {
    try {
      const usage = await this.deps.gauge.usage();
      if (usage.usedBytes === undefined) {
        const measuring: StoragePanel = { description: usage.description, nearlyFull: false, measuring: true };
        if (usage.quotaBytes) Object.assign(measuring, { quotaBytes: usage.quotaBytes, quotaText: formatBytes(usage.quotaBytes) });
        return measuring;
      }
      const panel: StoragePanel = { description: usage.description, usedBytes: usage.usedBytes, usedText: formatBytes(usage.usedBytes), nearlyFull: false };
      if (usage.objectCount !== undefined) panel.objectCount = usage.objectCount;
      if (usage.asOf !== undefined) {
        panel.asOf = usage.asOf;
        panel.asOfText = `Storage use as of ${formatDateTime(usage.asOf, timeZone)}${usage.recounting ? ' (being counted again after the latest backup)' : ''}`;
      }
      if (usage.quotaBytes) {
        panel.quotaBytes = usage.quotaBytes;
        panel.quotaText = formatBytes(usage.quotaBytes);
        panel.fractionUsed = Math.min(1, usage.usedBytes / usage.quotaBytes);
        panel.nearlyFull = panel.fractionUsed >= NEARLY_FULL;
      }
      return panel;
    } catch (error) {
      return { description: 'Storage', nearlyFull: false, error: `Could not read storage use: ${(error as Error).message}` };
    }
  }

  private async fileRows(plans: BackupPlan[], timeZone: string): Promise<{ files: FileRow[]; filesError?: string }> {
    let files: BackupFile[];
    try {
      files = await this.deps.files.list();
    } catch (error) {
      return { files: [], filesError: `Could not list the backup files: ${(error as Error).message}` };
    }
    const planNames = new Map(plans.map((p) => [p.id, p.name]));
    return {
      files: files
        .map((file) => {
          const planName = file.planName ?? (file.planId ? planNames.get(file.planId) : undefined);
          const row: FileRow = {
            id: file.id, name: fileName({ ...file, planName }, timeZone), createdAt: file.createdAt,
            createdText: formatDateTime(file.createdAt, timeZone), kind: file.kind, sizeBytes: file.sizeBytes,
            sizeText: formatBytes(file.sizeBytes), state: file.state,
          };
          if (planName) row.planName = planName;
          return row;
        })
        .sort((a, b) => b.createdAt - a.createdAt),
    };
  }
}

function fileName(file: BackupFile, timeZone: string): string {
  return `${file.planName ?? 'Backup'} ${formatDateTime(file.createdAt, timeZone)}`;
}

export function scheduleText(schedule: Schedule): string {
  const days = schedule.days === 'daily' ? 'Every day' : schedule.days.map((d) => WEEKDAY_LABEL[d]).join(', ');
  return `${days} at ${schedule.time}`;
}

function latestRun(status: BackupRunStatus, timeZone: string): LatestRun {
  const { projectsDone, projectsTotal, issuesDone, issuesTotal } = status.progress;
  const fraction =
    status.state === 'complete' ? 1
    : issuesTotal ? Math.min(1, issuesDone / issuesTotal)
    : projectsTotal ? Math.min(1, projectsDone / projectsTotal)
    : undefined;
  const run: LatestRun = {
    jobId: status.jobId, state: status.state, startedAt: status.startedAt, startedText: formatDateTime(status.startedAt, timeZone),
    progress: { ...status.progress, text: progressText(status.progress) },
    projectErrors: status.projectErrors,
  };
  if (fraction !== undefined) run.progress.fraction = fraction;
  if (status.kind) run.kind = status.kind;
  if (status.finishedAt !== undefined) {
    run.finishedAt = status.finishedAt;
    run.finishedText = formatDateTime(status.finishedAt, timeZone);
  }
  if (status.message) run.message = status.message;
  if (status.projectErrorCount !== undefined) run.projectErrorCount = status.projectErrorCount;
  if (status.modeReason) run.modeText = modeText(status.modeReason);
  return run;
}

/** The engine says "full: …" or "incremental: …"; an admin reads what that means for the data. */
export function modeText(reason: string): string {
  const match = /^(full|incremental): (.*)$/s.exec(reason);
  if (!match) return reason;
  return `${match[1] === 'full' ? 'Read everything (full)' : 'Read only what changed (incremental)'}: ${match[2]}`;
}

function progressText(p: BackupRunStatus['progress']): string {
  const projects = p.projectsTotal !== undefined ? `${p.projectsDone} of ${p.projectsTotal} projects` : `${p.projectsDone} projects`;
  const issues = p.issuesTotal !== undefined ? `${p.issuesDone} of ${p.issuesTotal} issues` : `${p.issuesDone} issues`;
  return `${projects}, ${issues}`;
}
