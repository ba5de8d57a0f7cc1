/**
 * Fields Jira never lets an app write on create or edit, with the reason the report gives. The values stay in the
 * snapshot; the ones that identify the origin are kept in the origin property (see origin.ts).
 */
export const NOT_SETTABLE_SYSTEM_FIELDS: Record<string, string> = {
  created: 'Jira sets the creation time; the original is kept in the origin property',
  updated: 'Jira sets the update time on every change',
  resolutiondate: 'Jira sets the resolution date when the issue is resolved',
  creator: 'Jira records the app as the creator; the original creator is kept in the origin property',
  statuscategorychangedate: 'Jira sets it when the status changes',
  lastViewed: 'per-user view time, recorded by Jira',
  votes: 'only the voting user can cast a vote; voters are kept in the snapshot',
  watches: 'restored through the watchers API, not as a field',
  worklog: 'restored as worklogs, not as a field',
  comment: 'restored as comments, not as a field',
  attachment: 'restored as attachments, not as a field',
  issuelinks: 'restored through the issue link API, not as a field',
  subtasks: 'sub-tasks are restored as issues with their parent set',
  aggregatetimespent: 'computed by Jira from worklogs',
  aggregatetimeestimate: 'computed by Jira',
  aggregatetimeoriginalestimate: 'computed by Jira',
  aggregateprogress: 'computed by Jira',
  progress: 'computed by Jira from worklogs',
  workratio: 'computed by Jira from worklogs',
  timespent: 'computed by Jira from worklogs',
  timeestimate: 'set through timetracking (remaining estimate)',
  timeoriginalestimate: 'set through timetracking (original estimate)',
  project: 'the target project of the restore',
  issuetype: 'mapped to a live issue type by id or name',
  status: 'reached by transitioning through the workflow after create',
  resolution: 'set while transitioning to the snapshot status, where the transition screen has it',
  thumbnail: 'not an issue field',
  issuekey: 'Jira assigns keys; the original key is kept in the origin property',
};

/** Custom field types that have their own restore step, or that Jira computes. */
export const CUSTOM_TYPES_WITH_OWN_STEP: Record<string, string> = {
  'com.pyxis.greenhopper.jira:gh-sprint': 'sprint membership is restored through the agile sprint API',
  'com.pyxis.greenhopper.jira:gh-lexo-rank': 'rank values are assigned by Jira; the relative order is restored through the rank API',
};

export const READ_ONLY_CUSTOM_TYPE_SUFFIXES = ['readonlyfield', 'jsd-sla-field', 'sd-request-feedback-date', 'servicedesk-sla'];
