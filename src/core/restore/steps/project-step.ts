import { isItemRefusal, jiraJson } from '../jira-call';
import { emptyCount } from '../job-state';
import { liveProject } from '../live-site';
import type { StepContext } from '../step-context';

/** Template used for a new project of each type when the admin restores a project under a new key. */
const TEMPLATE_BY_TYPE: Record<string, string> = {
  software: 'com.pyxis.greenhopper.jira:gh-simplified-kanban-classic',
  business: 'com.atlassian.jira-core-project-templates:jira-core-simplified-task-tracking',
  service_desk: 'com.atlassian.servicedesk:simplified-it-service-management',
};

/** Creates the new target project (if the plan asks for one), then the components and versions the issues use. */
export async function runProjectPhase(step: StepContext): Promise<void> {
  const { plan, job, deps } = step;
  job.project ??= { created: false, components: emptyCount(plan.componentsToCreate.length), versions: emptyCount(plan.versionsToCreate.length) };
  const create = plan.target.create;
  let project = await liveProject(deps.jira, plan.target.projectKey);
  if (create && !project) {
    const snapshotProject = (await step.view.projects()).find((p) => p.key === create.templateFromKey);
    const lead = create.leadAccountId ?? snapshotProject?.leadAccountId;
    await jiraJson(deps.jira, {
      method: 'POST',
      path: '/rest/api/3/project',
      json: {
        key: create.key,
        name: create.name,
        projectTypeKey: create.projectTypeKey,
        projectTemplateKey: TEMPLATE_BY_TYPE[create.projectTypeKey] ?? TEMPLATE_BY_TYPE.software,
        description: snapshotProject?.description,
        ...(lead ? { leadAccountId: lead } : {}),
        assigneeType: 'UNASSIGNED',
      },
    });
    job.project.created = true;
    project = await liveProject(deps.jira, plan.target.projectKey);
  }
  if (!project) throw new Error(`Project ${plan.target.projectKey} could not be found or created.`);
  const snapshotProject = (await step.view.projects()).find((p) => p.key === (create?.templateFromKey ?? plan.target.projectKey));
  const liveComponents = new Set(project.components.map((c) => c.name));
  const liveVersions = new Set(project.versions.map((v) => v.name));
  job.project.components = emptyCount(plan.componentsToCreate.length);
  for (const name of plan.componentsToCreate) {
    if (liveComponents.has(name)) {
      job.project.components.done++;
      continue;
    }
    const source = snapshotProject?.components.find((c) => c.name === name);
    await createOrRecord(job.project.components, name, () =>
      jiraJson(deps.jira, { method: 'POST', path: '/rest/api/3/component', json: { project: project!.key, name, description: source?.description } }),
    );
  }
  job.project.versions = emptyCount(plan.versionsToCreate.length);
  for (const name of plan.versionsToCreate) {
    if (liveVersions.has(name)) {
      job.project.versions.done++;
      continue;
    }
    const source = snapshotProject?.versions.find((v) => v.name === name);
    await createOrRecord(job.project.versions, name, () =>
      jiraJson(deps.jira, {
        method: 'POST',
        path: '/rest/api/3/version',
        json: { projectId: Number(project!.id), name, description: source?.description, released: source?.released, archived: source?.archived, releaseDate: source?.releaseDate, startDate: source?.startDate },
      }),
    );
  }
}

async function createOrRecord(count: { done: number; failures: { item: string; reason: string }[] }, name: string, create: () => Promise<unknown>): Promise<void> {
  try {
    await create();
    count.done++;
  } catch (error) {
    // After a 5xx the component or version may exist: the step stops, and the rerun skips the names now live.
    if (!isItemRefusal(error)) throw error;
    count.failures.push({ item: name, reason: error.message });
  }
}
