/** Every route the simulator serves. Each template must exist in the official spec (see the contract tests). */
import type { Route } from '../http/types';
import { agileRoutes } from './agile';
import { attachmentRoutes } from './attachments';
import { configRoutes } from './config';
import { createMetaRoutes } from './createmeta';
import { issueReadRoutes } from './issue-read';
import { searchRoutes } from './search';
import { userRoutes } from './users';
import { writeRoutes } from './writes';
import { worklogCommentRoutes } from './worklogs-comments';
import { subPropertyRoutes } from './sub-properties';

export const allRoutes: Route[] = [
  ...searchRoutes,
  ...issueReadRoutes,
  ...createMetaRoutes,
  ...attachmentRoutes,
  ...configRoutes,
  ...userRoutes,
  ...agileRoutes,
  ...worklogCommentRoutes,
  ...subPropertyRoutes,
  ...writeRoutes,
];
