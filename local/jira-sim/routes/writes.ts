/** All write routes (restore, and staging data loss in tests). */
import type { Route } from '../http/types';
import { issueWriteRoutes } from './writes-issues';
import { configWriteRoutes } from './writes-config';

export const writeRoutes: Route[] = [...issueWriteRoutes, ...configWriteRoutes];
