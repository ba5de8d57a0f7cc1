import type { Route } from '../http/types';

/** Write endpoints for restore (filled in below). */
export const writeRoutes: Route[] = [];
