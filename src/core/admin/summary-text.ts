import type { ResolverResult } from './resolver-contract';
import type { ControlPanelView } from './view-model';

const STATE_LABEL = { queued: 'queued', running: 'running', complete: 'complete', partial: 'partial', failed: 'failed' } as const;

/**
 * The control panel as plain text, for `npm start` and logs: each plan's latest state, storage use, next run,
 * and the backup files. Same view model as the page, so the two never disagree.
 */
export function formatControlPanelSummary(view: ControlPanelView): string {
  const lines: string[] = [`Backup Center — times in ${view.timeZone}`, ''];
  if (view.plans.length === 0) lines.push('Plans: none configured yet.');
  for (const plan of view.plans) {
    lines.push(`Plan: ${plan.planName} (${plan.content}; ${plan.scheduleText})`);
    const run = plan.latest;
    if (!run) lines.push('  Latest backup: never ran');
    else {
      const when = run.finishedText ? `started ${run.startedText}, finished ${run.finishedText}` : `started ${run.startedText}`;
      lines.push(`  Latest backup: ${STATE_LABEL[run.state]}${run.kind ? ` (${run.kind})` : ''}, ${when}`);
      lines.push(`  Progress: ${run.progress.text}${run.progress.fraction !== undefined ? ` (${Math.round(run.progress.fraction * 100)}%)` : ''}`);
      if (run.modeText) lines.push(`  ${run.modeText}`);
      if (run.message) lines.push(`  Problem: ${run.message}`);
      for (const e of run.projectErrors) lines.push(`  Error in ${e.project}: ${e.message}`);
      const unlisted = (run.projectErrorCount ?? 0) - run.projectErrors.length;
      if (unlisted > 0) lines.push(`  …and errors in ${unlisted} more projects`);
    }
    lines.push(`  Next scheduled run: ${plan.nextRunText ?? 'none'}`);
  }
  lines.push('');
  const s = view.storage;
  if (s.error) lines.push(`Storage: ${s.description} — ${s.error}`);
  else if (s.measuring) lines.push(`Storage: ${s.description} — use being measured${s.quotaText ? ` (quota ${s.quotaText})` : ''}`);
  else if (s.quotaText && s.fractionUsed !== undefined) {
    lines.push(`Storage: ${s.description} — ${s.usedText} of ${s.quotaText} used (${Math.round(s.fractionUsed * 100)}%)${s.nearlyFull ? ' — nearly full' : ''}`);
  } else lines.push(`Storage: ${s.description} — ${s.usedText ?? 'unknown'} used`);
  if (s.asOfText) lines.push(`  ${s.asOfText}`);
  lines.push('');
  if (view.filesError) lines.push(`Backup files: ${view.filesError}`);
  else if (view.files.length === 0) lines.push('Backup files: none yet.');
  else {
    lines.push(`Backup files (${view.files.length}):`);
    const nameWidth = Math.max(...view.files.map((f) => f.name.length));
    for (const f of view.files) {
      lines.push(`  ${f.name.padEnd(nameWidth)}  ${f.kind.padEnd(8)}  ${f.sizeText.padStart(9)}  ${f.state}`);
    }
  }
  return lines.join('\n') + '\n';
}

/** The summary from a `getControlPanel` resolver answer (what `npm start` gets from the emulator), or why there is none. */
export function formatControlPanelAnswer(answer: ResolverResult<ControlPanelView>): string {
  if (answer.ok) return formatControlPanelSummary(answer.data);
  return `Backup Center could not show the control panel (${answer.error.status}): ${answer.error.message}\n`;
}
